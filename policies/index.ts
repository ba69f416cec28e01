// The policy pack. Nothing else belongs here: constructing a PolicyPack starts its server.
import { PolicyPack } from "@pulumi/policy";
import { POLICY_PACK_NAME, policies } from "./policies";

new PolicyPack(POLICY_PACK_NAME, { policies });
