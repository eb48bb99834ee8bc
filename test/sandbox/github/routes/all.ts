// Importing a routes file registers its handlers.
import "./repos.js";
import "./git.js";
import "./commits.js";
import "./issues.js";
import "./pulls.js";
