/**
 * The ARM requests a session host control sends for its inputs (see sessionHostCalls.ts), for
 * the contract check: every PATCH, DELETE and message call, against the AVD spec.
 */
import {
  SessionHostOps,
  listSessionsCall,
  opsCalls,
  sendMessageCall,
} from "../consumers/sessionHostCalls";
import { plainData } from "../mocks/secrets";
import { ArmRequest } from "./armRequest";

const ENDPOINT = "https://management.azure.com";

/**
 * The requests for one control's inputs (a message adds a list and a send per drained host), or
 * undefined when the inputs do not say which pool or which changes.
 */
export function controlRequests(
  inputs: Readonly<Record<string, unknown>>,
): ArmRequest[] | undefined {
  const plain = plainData(inputs) as {
    hostPoolId?: unknown;
    ops?: SessionHostOps;
    message?: unknown;
  };
  const ops = plain.ops;
  const readable =
    ops !== undefined &&
    [ops.drain, ops.reopen, ops.remove].every(Array.isArray) &&
    typeof ops.assign === "object";
  if (typeof plain.hostPoolId !== "string" || !readable) return undefined;
  const pool = plain.hostPoolId;
  const calls = opsCalls(pool, ops);
  if (typeof plain.message === "string")
    for (const host of ops.drain)
      calls.push(
        listSessionsCall(pool, host),
        sendMessageCall(pool, host, `${pool.split("/").pop()}/${host}/1`, plain.message),
      );
  return calls.map((c) => ({ url: `${ENDPOINT}${c.path}`, method: c.method, body: c.body }));
}
