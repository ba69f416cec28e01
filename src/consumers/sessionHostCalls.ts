/**
 * The ARM calls a rollout step makes on session host registrations (AVD API 2024-04-03, the
 * version azure-native 3.28 uses for host pools): drain or reopen (`PATCH allowNewSession`),
 * remove a replaced host's registration (`DELETE ?force=true`), hand a personal desktop back to
 * its user (`PATCH assignedUser`), and message the users of a draining host (list their sessions,
 * `POST sendMessage`). Pure: built here, sent by the session host control, validated against the
 * vendored spec by the contract check.
 */

/** The Pulumi type of the session host control (`pulumi-nodejs:dynamic/<module>:<type>`). */
export const SESSION_HOST_CONTROL_TYPE = "pulumi-nodejs:dynamic/global-image:SessionHostControl";

/** The API version of every call. */
export const SESSION_HOST_API_VERSION = "2024-04-03";

/** What one rollout step does to registrations; every list may be empty. */
export interface SessionHostOps {
  /** Session host names to drain (`allowNewSession: false`). */
  readonly drain: string[];
  /** Session host names to reopen (`allowNewSession: true`). */
  readonly reopen: string[];
  /** Registrations to delete before their VMs are replaced or removed. */
  readonly remove: string[];
  /** Personal desktops to give back to their user after a replacement: host name → UPN. */
  readonly assign: Record<string, string>;
}

/** One ARM request, relative to the management endpoint. */
export interface ArmCall {
  readonly method: "GET" | "PATCH" | "DELETE" | "POST";
  /** Path and query, starting with `/subscriptions/`. */
  readonly path: string;
  readonly body?: Record<string, unknown>;
  /** What the call is for, in words (errors name it). */
  readonly purpose: string;
}

/** True when `ops` asks for nothing. */
export function noOps(ops: SessionHostOps): boolean {
  return (
    ops.drain.length + ops.reopen.length + ops.remove.length + Object.keys(ops.assign).length === 0
  );
}

function hostPath(hostPoolId: string, host: string): string {
  return `${hostPoolId}/sessionHosts/${encodeURIComponent(host)}`;
}

const query = (extra = "") => `?api-version=${SESSION_HOST_API_VERSION}${extra}`;

/**
 * The calls for `ops` on the pool `hostPoolId`, in the order they must run: registrations of
 * replaced hosts go first, then drains, reopens and assignments. Sending `message` needs each
 * draining host's sessions first: {@link listSessionsCall} then {@link sendMessageCall}.
 */
export function opsCalls(hostPoolId: string, ops: SessionHostOps): ArmCall[] {
  const patch = (host: string, properties: Record<string, unknown>, purpose: string): ArmCall => ({
    method: "PATCH",
    path: `${hostPath(hostPoolId, host)}${query()}`,
    body: { properties },
    purpose,
  });
  return [
    ...ops.remove.map((host): ArmCall => ({
      method: "DELETE",
      path: `${hostPath(hostPoolId, host)}${query("&force=true")}`,
      purpose: `remove the registration of session host ${host}`,
    })),
    ...ops.drain.map((h) => patch(h, { allowNewSession: false }, `drain session host ${h}`)),
    ...ops.reopen.map((h) => patch(h, { allowNewSession: true }, `reopen session host ${h}`)),
    ...Object.entries(ops.assign).map(([h, user]) =>
      patch(h, { assignedUser: user }, `assign session host ${h} to its user again`),
    ),
  ];
}

/** Lists the user sessions of a session host (to message them). */
export function listSessionsCall(hostPoolId: string, host: string): ArmCall {
  return {
    method: "GET",
    path: `${hostPath(hostPoolId, host)}/userSessions${query()}`,
    purpose: `list the user sessions of session host ${host}`,
  };
}

/**
 * Sends `message` to one user session. `sessionName` is the session's ARM name
 * (`<pool>/<host>/<id>`); only its last segment goes into the path.
 */
export function sendMessageCall(
  hostPoolId: string,
  host: string,
  sessionName: string,
  message: string,
): ArmCall {
  const id = sessionName.split("/").pop() ?? sessionName;
  return {
    method: "POST",
    path: `${hostPath(hostPoolId, host)}/userSessions/${encodeURIComponent(id)}/sendMessage${query()}`,
    body: { messageTitle: "Azure Virtual Desktop maintenance", messageBody: message },
    purpose: `message user session ${id} on session host ${host}`,
  };
}
