import { Namespace, Service, ServiceAccount } from "kubernetes-models/v1";
import { Deployment } from "kubernetes-models/apps/v1";
import { Ingress } from "kubernetes-models/networking.k8s.io/v1";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1";
import { Role, RoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1";
import type { K8sObject } from "./kustomize.js";

type Model = new (data: never) => { validate(): void };

/** The kinds the manifests may contain; anything else is an error, not a silent pass. */
const models: Record<string, Model> = {
  "v1/Namespace": Namespace,
  "v1/Service": Service,
  "v1/ServiceAccount": ServiceAccount,
  "apps/v1/Deployment": Deployment,
  "networking.k8s.io/v1/Ingress": Ingress,
  "policy/v1/PodDisruptionBudget": PodDisruptionBudget,
  "rbac.authorization.k8s.io/v1/Role": Role,
  "rbac.authorization.k8s.io/v1/RoleBinding": RoleBinding,
};

/** Validates one object against its Kubernetes OpenAPI schema; throws with the failing path. */
export const validateAgainstSchema = (obj: K8sObject): void => {
  const model = models[`${obj.apiVersion}/${obj.kind}`];
  if (model === undefined) throw new Error(`no schema registered for ${obj.apiVersion} ${obj.kind}`);
  new model(structuredClone(obj) as never).validate();
};
