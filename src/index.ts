import type { Probot } from "probot";

export default (_app: Probot): void => {
  // Routing table: filled in as handlers land.
};
