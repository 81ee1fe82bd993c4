// Chromium's local-network-access checks (a page asking for a more private address space than
// its own), as far as an observation shows them.
import type { Context } from './context';
import type { AddressSpace } from '../net/origin';
import { addressSpaceOfHost, addressSpaceOfIp, isPotentiallyTrustworthy, parseOrigin } from '../net/origin';
import type { ReasonCode } from './reasons';
import type { StepCode, VerdictStep } from './verdict';

const SPACE_RANK: Record<AddressSpace, number> = { loopback: 0, local: 1, public: 2 };

/**
 * The target's address space comes from the server IP (or an IP literal / localhost / .local
 * host name), the initiator's from the observation's initiatorAddressSpace or its own host
 * name. With neither known, only the browser's ERR_BLOCKED_BY_LOCAL_NETWORK_ACCESS_CHECKS
 * error reveals the check. null when no local-network check applies.
 */
export function localNetworkCheck(c: Context): { step: VerdictStep; reason: ReasonCode | null; parameter: string | null } | null {
  if (c.browser !== 'chromium' || c.target === null) return null;
  const remote = typeof c.obs.remoteAddress === 'string' ? addressSpaceOfIp(c.obs.remoteAddress) : null;
  const targetSpace = remote ?? addressSpaceOfHost(c.target.host);
  const hookTarget = c.hook?.targetAddressSpace;
  const blockedByBrowser = c.errorKind === 'local-network';
  // The usual request (a public or unknown target, nothing declared, no refusal) needs no more:
  // nothing is more private than it.
  if (!blockedByBrowser && hookTarget === undefined && (targetSpace === null || targetSpace === 'public')) return null;
  const initOrigin = c.origin === null ? null : parseOrigin(c.origin);
  const declared = c.obs.initiatorAddressSpace;
  const initSpace =
    declared === 'loopback' || declared === 'local' || declared === 'public'
      ? declared
      : initOrigin === null
        ? null
        : addressSpaceOfHost(initOrigin.host);
  const morePrivate =
    targetSpace !== null && initSpace !== null && SPACE_RANK[targetSpace] < SPACE_RANK[initSpace];
  if (!blockedByBrowser && !morePrivate && hookTarget === undefined) return null;
  const spaces = { initiatorSpace: initSpace ?? 'unknown', targetSpace: targetSpace ?? 'unknown' };
  const step = (passed: boolean, code: StepCode, value?: string): VerdictStep => ({ check: 'local-network', hop: null, passed, code, params: { ...spaces, value } });
  const secure = c.origin !== null && isPotentiallyTrustworthy(c.origin);
  const mismatch = hookTarget !== undefined && targetSpace !== null && hookTarget !== targetSpace;
  const gotThrough = c.response !== null && c.errorKind === 'none';
  if (mismatch && !gotThrough) {
    return { step: step(false, 'local-network-target-mismatch', hookTarget), reason: 'InvalidLocalNetworkAccess', parameter: targetSpace };
  }
  if (blockedByBrowser || (morePrivate && c.response === null && c.errorKind === 'refused')) {
    if (!secure) {
      return { step: step(false, 'local-network-insecure'), reason: 'InsecureLocalNetwork', parameter: targetSpace };
    }
    return { step: step(false, 'local-network-denied'), reason: 'LocalNetworkAccessPermissionDenied', parameter: targetSpace };
  }
  return { step: step(true, gotThrough ? 'local-network-granted' : 'local-network'), reason: null, parameter: null };
}
