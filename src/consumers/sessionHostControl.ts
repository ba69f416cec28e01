/**
 * The session host control: a small dynamic resource, one per pool, that applies a rollout
 * step's registration changes (drain, reopen, remove, re-assign, message users) with ARM calls.
 * azure-native has no resource for an existing registration (a session host is created by the
 * AVD agent, not by a PUT; azure-native's `SessionHost` uses a preview API whose create refuses
 * an existing host), so this resource PATCHes the registrations instead, with the credentials
 * azure-native itself uses (a token from `authorization.getClientToken`).
 */
import * as pulumi from "@pulumi/pulumi";
import { GlobalImageError } from "../domain/common/errors";
import { onEndpoint } from "./armReader";
import {
  ArmCall,
  SessionHostOps,
  listSessionsCall,
  noOps,
  opsCalls,
  sendMessageCall,
} from "./sessionHostCalls";

export { SESSION_HOST_CONTROL_TYPE } from "./sessionHostCalls";

/** What the control receives (plain, as the dynamic provider sees it). */
export interface SessionHostControlState {
  /** The host pool's ARM id. */
  readonly hostPoolId: string;
  /** The ARM endpoint, e.g. `https://management.azure.com`. */
  readonly endpoint: string;
  /** A bearer token for ARM (secret; never returned as an output). */
  readonly token?: string;
  readonly ops: SessionHostOps;
  /** Text for the users of hosts being drained. */
  readonly message?: string;
}

/** Sends one call; returns the parsed JSON body (or undefined). Statuses in `tolerate` are fine. */
async function send(
  state: SessionHostControlState,
  call: ArmCall,
  tolerate: number[] = [],
): Promise<Record<string, unknown> | undefined> {
  // A next page's absolute link is followed only on the ARM endpoint: the token goes nowhere else.
  const url = call.path.startsWith("/") ? `${state.endpoint}${call.path}` : call.path;
  if (!onEndpoint(url, state.endpoint)) {
    throw new Error(
      `global-image session host control: refusing to ${call.purpose} at ${url}: not on ${state.endpoint}`,
    );
  }
  const response = await fetch(url, {
    method: call.method,
    headers: { authorization: `Bearer ${state.token}`, "content-type": "application/json" },
    body: call.body === undefined ? undefined : JSON.stringify(call.body),
  });
  if (response.ok) {
    const text = await response.text();
    return text === "" ? undefined : (JSON.parse(text) as Record<string, unknown>);
  }
  if (tolerate.includes(response.status)) return undefined;
  const detail = (await response.text()).slice(0, 400);
  throw new Error(
    `global-image session host control: could not ${call.purpose} (HTTP ${response.status}): ${detail}`,
  );
}

/** Messages every user session of each draining host; a session that cannot be reached is skipped. */
async function messageUsers(state: SessionHostControlState): Promise<void> {
  if (!state.message) return;
  for (const host of state.ops.drain) {
    let page: string | undefined = listSessionsCall(state.hostPoolId, host).path;
    while (page) {
      const call = { ...listSessionsCall(state.hostPoolId, host), path: page };
      const listed = await send(state, call, [404]);
      const sessions = (listed?.value ?? []) as Array<{ name?: string }>;
      for (const s of sessions.filter((x) => typeof x.name === "string")) {
        const message = sendMessageCall(state.hostPoolId, host, s.name!, state.message);
        await send(state, message, [400, 404, 409]);
      }
      page = typeof listed?.nextLink === "string" ? listed.nextLink : undefined;
    }
  }
}

/** Applies the step: registrations of replaced hosts first, then drains (and messages), reopens. */
export async function applyOps(state: SessionHostControlState): Promise<void> {
  for (const call of opsCalls(state.hostPoolId, state.ops)) {
    await send(state, call, call.method === "DELETE" ? [404] : []);
  }
  await messageUsers(state);
}

/** The outputs kept in state: everything but the token. */
function outputsOf(state: SessionHostControlState): Record<string, unknown> {
  return { hostPoolId: state.hostPoolId, endpoint: state.endpoint, ops: state.ops };
}

/** The dynamic provider: each up with work to do is an update; an up with none changes nothing. */
export const sessionHostControlProvider: pulumi.dynamic.ResourceProvider = {
  async create(inputs: SessionHostControlState) {
    await applyOps(inputs);
    return { id: `${inputs.hostPoolId}/sessionHostControl`, outs: outputsOf(inputs) };
  },
  async diff(_id: string, olds: SessionHostControlState, news: SessionHostControlState) {
    const moved = olds.hostPoolId !== news.hostPoolId;
    return { changes: moved || !noOps(news.ops), replaces: moved ? ["hostPoolId"] : [] };
  },
  async update(_id: string, _olds: SessionHostControlState, news: SessionHostControlState) {
    await applyOps(news);
    return { outs: outputsOf(news) };
  },
  async delete() {
    // Nothing to undo: the registrations go with their VMs and their pool.
  },
};

/** Inputs of {@link SessionHostControl}. */
export interface SessionHostControlArgs {
  readonly hostPoolId: pulumi.Input<string>;
  readonly endpoint: pulumi.Input<string>;
  readonly token: pulumi.Input<string>;
  readonly ops: SessionHostOps;
  readonly message?: string;
}

/** Applies one rollout step's registration changes on a pool (see the module comment). */
export class SessionHostControl extends pulumi.dynamic.Resource {
  constructor(name: string, args: SessionHostControlArgs, opts?: pulumi.CustomResourceOptions) {
    const props = { ...args, token: pulumi.secret(args.token) };
    super(sessionHostControlProvider, name, props, opts, "global-image", "SessionHostControl");
  }
}

/** ARM endpoints of azure-native's `environment` setting. */
export const ARM_ENDPOINTS: Readonly<Record<string, string>> = {
  public: "https://management.azure.com",
  usgovernment: "https://management.usgovcloudapi.net",
  china: "https://management.chinacloudapi.cn",
};

/**
 * The ARM endpoint for azure-native's `environment` config (public when unset). An environment
 * this package does not know is an error: the control must not send its calls to the wrong cloud.
 */
export function armEndpoint(environment: string | undefined): string {
  const endpoint = ARM_ENDPOINTS[(environment ?? "public").toLowerCase()];
  if (!endpoint) {
    throw new GlobalImageError(
      "azure-native:environment",
      `"azure-native:environment" is "${environment}": the session host control knows ${Object.keys(ARM_ENDPOINTS).join(", ")}. Set one of those, or leave it out for public.`,
    );
  }
  return endpoint;
}
