// Tests never read a developer's real environment for the app's secrets.
process.env.LOG_LEVEL ??= "fatal";
delete process.env.GITHUB_TOKEN;
