/**
 * The policies of the `global-image-guardrails` pack, as an explicit array: `index.ts` builds the
 * pack from it, and tests and the CLI's offline `check` run the same array without starting the
 * pack's server.
 */
import { Policies } from "@pulumi/policy";
import { strictConfig } from "./lib/config";
import { activeVersionReplicatedToConsumerRegions } from "./activeVersionReplicatedToConsumerRegions";
import { backupsProtected } from "./backupsProtected";
import { consumersUseActiveVersion } from "./consumersUseActiveVersion";
import { consumersUseManagedImages } from "./consumersUseManagedImages";
import { imageActivationRequiresPassingTests } from "./imageActivationRequiresPassingTests";
import { nonActiveVersionsExcludedFromLatest } from "./nonActiveVersionsExcludedFromLatest";
import { replicasFollowSource } from "./replicasFollowSource";
import { ringOrderRespected } from "./ringOrderRespected";

export const POLICY_PACK_NAME = "global-image-guardrails";

/** Each refuses config keys it does not know (lib/config.ts says why the engine cannot). */
export const policies: Policies = [
  imageActivationRequiresPassingTests,
  consumersUseActiveVersion,
  nonActiveVersionsExcludedFromLatest,
  activeVersionReplicatedToConsumerRegions,
  backupsProtected,
  consumersUseManagedImages,
  replicasFollowSource,
  ringOrderRespected,
].map(strictConfig);
