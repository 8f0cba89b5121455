import type { SessionView } from './SessionView';

/** A session as an eMSP's lookup and list show it: without the OCMF texts, with the number of conflicting packets. */
export function sessionSummary(s: SessionView) {
  const { ocmf: _o, conflictingOcmf, ...rest } = s;
  return { ...rest, conflicts: conflictingOcmf.length };
}
