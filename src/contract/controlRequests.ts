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

/** The requests for one control's inputs (a message adds a list and a send per drained host). */
export function controlRequests(inputs: Readonly<Record<string, unknown>>): ArmRequest[] {
  const plain = plainData(inputs) as {
    hostPoolId?: unknown;
    ops?: SessionHostOps;
    message?: unknown;
  };
  if (typeof plain.hostPoolId !== "string" || !plain.ops) return [];
  const pool = plain.hostPoolId;
  const calls = opsCalls(pool, plain.ops);
  if (typeof plain.message === "string")
    for (const host of plain.ops.drain)
      calls.push(
        listSessionsCall(pool, host),
        sendMessageCall(pool, host, `${pool.split("/").pop()}/${host}/1`, plain.message),
      );
  return calls.map((c) => ({ url: `${ENDPOINT}${c.path}`, method: c.method, body: c.body }));
}
