// Importing a routes file registers its handlers.
import "./repos.js";
import "./git.js";
import "./commits.js";
import "./issues.js";
import "./pulls.js";
import "./checks.js";
import "./releases.js";
import "./deployments.js";
import "./actions.js";
import "./alerts.js";
import "./archives.js";
import "./branches.js";
import "./listings.js";
