/** record_anchor's anchors in words. */
import { formatTime } from './format';

export interface AnchorLike {
  id: bigint;
  status: 'Current' | 'Superseded' | 'EnteredInError';
  supersedes?: bigint | undefined;
  supersededBy?: bigint | undefined;
  timestamp: bigint;
}

/** "current", "superseded by anchor #4", "entered in error: retracted by its issuer". */
export function anchorStatusText(a: AnchorLike): string {
  const next = a.supersededBy !== undefined ? `superseded by anchor #${a.supersededBy}` : '';
  switch (a.status) {
    case 'Current':
      return 'current: the latest version of this record';
    case 'Superseded':
      return next || 'superseded by a newer version';
    case 'EnteredInError':
      return `entered in error: retracted by its issuer${next ? `; ${next}` : ''}`;
  }
}

/** "anchored 2026-12-05 12:00 UTC", with the version it replaced. */
export function anchorWhenText(a: AnchorLike): string {
  return `anchored ${formatTime(a.timestamp)}${a.supersedes !== undefined ? `, as the next version of anchor #${a.supersedes}` : ''}`;
}
