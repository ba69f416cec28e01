// The package entry: explicit named exports only.
export { GlobalImage } from "./component/globalImage";
export { ImageReplica } from "./component/imageReplica";
export type { ImageReplicaArgs } from "./component/replicaArgs";
export type {
  GlobalImageArgs,
  ImageDefinitionArgs,
  ImageSourceArgs,
  ImageVersionArgs,
  RegionArgs,
  RingArgs,
  RingWindowArgs,
  VersionTimeoutsArgs,
} from "./component/args";
export { DEFAULT_VERSION_TIMEOUTS } from "./component/versionInputs";
export type {
  ImageBuildBaseArgs,
  ImageBuilderArgs,
  ImageBuildStepArgs,
} from "./component/buildArgs";
export type { BuildStatus } from "./component/builtVersions";
export {
  BUILD_DEFAULTS,
  CustomizerType,
  planBuild,
  templateName,
} from "./domain/builds/imageBuilder";
export type { BuildPlan, CustomizerPlan } from "./domain/builds/imageBuilder";
export { BuildState, decideBuild } from "./domain/builds/buildStep";
export type { BuildDecision, BuildObservation, BuildTarget } from "./domain/builds/buildStep";
export { GlobalImageError, isGlobalImageError } from "./domain/common/errors";
export {
  HyperVGeneration,
  OsState,
  OsType,
  ReplicaStorageType,
  SecurityType,
  SourceKind,
} from "./domain/common/kinds";
export {
  ImageRole,
  IMAGE_ROLES,
  ROLE_RULES,
  computeRoles,
  newestBackup,
} from "./domain/images/roles";
export type { RoleInputs, RoleRule } from "./domain/images/roles";
export { TagKey } from "./domain/common/tags";
export {
  compareVersions,
  isAzureVersion,
  sortVersions,
  MAX_VERSION_PART,
} from "./domain/images/version";
export { planGlobalImage } from "./domain/images/validate";
export type {
  GlobalImageSpec,
  ImageDefinitionPlan,
  ImagePlan,
  VersionPlan,
} from "./domain/images/validate";
export type { RegionPlan } from "./domain/common/checks";
export { planReplica } from "./domain/replicas/replica";
export type { ReplicaPlan, ReplicaSpec } from "./domain/replicas/replica";
export { readSnapshot, snapshotOf } from "./domain/images/snapshot";
export { Weekday, checkRings } from "./domain/rings/ringSettings";
export type { Ring, RingWindow } from "./domain/rings/ringSettings";
export { eligibleAt, nextWindowTime, ringSchedule, ringVersion } from "./domain/rings/rings";
export type { RingVersionInput, RingVersionResult } from "./domain/rings/rings";
export { NOW_VARIABLE, currentTime } from "./component/clock";
export type { ImageIdentity, ImageSnapshot, SnapshotVersion } from "./domain/images/snapshot";
export { ImageHostPool } from "./consumers/imageHostPool";
export type {
  ImageHostPoolArgs,
  RolloutArgs,
  SessionHostsArgs,
  VmTemplateArgs,
} from "./consumers/args";
export type {
  RolloutHostStatus,
  RolloutStatus,
  UnmanagedHostStatus,
} from "./consumers/rolloutDeclare";
export {
  RolloutAction,
  SessionHostStatus,
  outOfService,
  planRollout,
} from "./domain/hostPools/rollout";
export type {
  HostObservation,
  PlannedHost,
  RolloutInput,
  RolloutPlan,
} from "./domain/hostPools/rollout";
export { ROLLOUT_DEFAULTS, resolveRollout } from "./domain/hostPools/rolloutSettings";
export type { ResolvedRollout, RolloutSettings } from "./domain/hostPools/rolloutSettings";
export { applyPlan, healthyFleet, simulateRollout } from "./domain/hostPools/rolloutSimulation";
export type {
  SimulationInput,
  SimulationResult,
  SimulationStep,
  SimulationWorld,
} from "./domain/hostPools/rolloutSimulation";
export { ImageHandle } from "./consumers/imageHandle";
export type { ImageBinding } from "./consumers/imageHandle";
export { bindVersion, imageTags, vmImageReference } from "./consumers/vmImageReference";
export type { BoundVersion } from "./consumers/vmImageReference";
export { vmTemplateDocument, vmTemplateJson } from "./consumers/vmTemplate";
export type { VmTemplateDocument } from "./consumers/vmTemplate";
export { DEFAULT_AGENT_CONFIGURATION_URL } from "./consumers/sessionHosts";
export {
  ConsumerRole,
  DEFAULT_VM_SIZE,
  HostPoolType,
  LoadBalancerType,
  OsDiskType,
  PreferredAppGroupType,
  VmSecurityType,
  planHostPool,
} from "./domain/hostPools/hostPool";
export type { HostPoolPlan, HostPoolSpec, VmTemplatePlan } from "./domain/hostPools/hostPool";
export { runConfigProgram } from "./program/run";
export type { ConfigProgramOutputs } from "./program/run";
export { EVIDENCE_SCHEMA, TestStatus, parseEvidence, summarize } from "./evidence/document";
export type {
  EvidenceDocument,
  EvidenceSignature,
  EvidenceSource,
  EvidenceSourceFile,
  EvidenceSummary,
  TestResult,
} from "./evidence/document";
export { canonicalJson, evidenceSha256 } from "./evidence/canonical";
export { generateKeyPair, keyIdOf, signEvidence } from "./evidence/signature";
export { judgeEvidence } from "./evidence/verdict";
export type { EvidenceRequirements, EvidenceVerdict } from "./evidence/verdict";
export {
  CREATED_AT_FIELD,
  TEST_RESULT_PREDICATE_TYPE,
  fromInToto,
  toInToto,
  toPredicate,
} from "./evidence/inToto";
export type { InTotoTestResultStatement, TestResultPredicate } from "./evidence/inToto";
export { parseAnyEvidence } from "./evidence/evidence";
export type { Evidence, SigstoreBundleJson } from "./evidence/evidence";
export { isBundleJson } from "./evidence/bundle";
export { signStatement } from "./evidence/bundleSign";
export { SUBJECT_SCHEMA, subjectBytes, subjectDigest } from "./evidence/subject";
export type { TrustedIdentity } from "./evidence/trust";
export { attestJUnit } from "./evidence/attest";
export { parseJUnit } from "./evidence/junit";
