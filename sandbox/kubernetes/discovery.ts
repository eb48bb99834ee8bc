/** Static discovery documents: just enough of /api and /apis for kubectl's REST mapper. */

const workloadVerbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

export const version = {
  major: "1",
  minor: "32",
  gitVersion: "v1.32.0",
  gitCommit: "fake",
  gitTreeState: "clean",
  buildDate: "2024-12-11T00:00:00Z",
  goVersion: "go1.23.4",
  compiler: "gc",
  platform: "linux/amd64",
};

export const apiVersions = (serverAddress: string): object => ({
  kind: "APIVersions",
  versions: ["v1"],
  serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress }],
});

export const coreV1 = {
  kind: "APIResourceList",
  groupVersion: "v1",
  resources: [
    {
      name: "namespaces",
      singularName: "namespace",
      namespaced: false,
      kind: "Namespace",
      verbs: ["get", "list"],
      shortNames: ["ns"],
    },
  ],
};

const appsGroup = {
  name: "apps",
  versions: [{ groupVersion: "apps/v1", version: "v1" }],
  preferredVersion: { groupVersion: "apps/v1", version: "v1" },
};

export const apiGroupList = { kind: "APIGroupList", apiVersion: "v1", groups: [appsGroup] };
export const appsGroupDoc = { kind: "APIGroup", apiVersion: "v1", ...appsGroup };

const scaleSub = (name: string): object => ({
  name: `${name}/scale`,
  singularName: "",
  namespaced: true,
  group: "autoscaling",
  version: "v1",
  kind: "Scale",
  verbs: ["get", "patch", "update"],
});

const statusSub = (name: string, kind: string): object => ({
  name: `${name}/status`,
  singularName: "",
  namespaced: true,
  kind,
  verbs: ["get", "patch", "update"],
});

export const appsV1 = {
  kind: "APIResourceList",
  apiVersion: "v1",
  groupVersion: "apps/v1",
  resources: [
    {
      name: "deployments",
      singularName: "deployment",
      namespaced: true,
      kind: "Deployment",
      verbs: workloadVerbs,
      shortNames: ["deploy"],
      categories: ["all"],
    },
    scaleSub("deployments"),
    statusSub("deployments", "Deployment"),
    {
      name: "replicasets",
      singularName: "replicaset",
      namespaced: true,
      kind: "ReplicaSet",
      verbs: workloadVerbs,
      shortNames: ["rs"],
      categories: ["all"],
    },
    scaleSub("replicasets"),
    statusSub("replicasets", "ReplicaSet"),
  ],
};
