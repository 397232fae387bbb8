import { OrbitError, type v1 } from '@orbitmq/protocol';
import type { EpochEntry, StateOp } from '../ports';

const DECIMAL = /^[0-9]+$/;

/** A u64 decimal string as a number; '' is 0 (proto3 default). Beyond 2^53 or not decimal: BAD_REQUEST. */
export function parseU64(value: string | number | undefined | null, field: string): number {
  if (typeof value === 'number') {
    if (Number.isSafeInteger(value) && value >= 0) return value;
  } else if (value === undefined || value === null || value === '') {
    return 0;
  } else if (DECIMAL.test(value)) {
    const n = Number(value);
    if (Number.isSafeInteger(n)) return n;
  }
  throw new OrbitError('BAD_REQUEST', `${field} must be a decimal offset below 2^53, got ${JSON.stringify(value)}`);
}

export function u64(n: number): string {
  return String(n);
}

export function epochsToWire(epochs: readonly EpochEntry[]): v1.EpochEntry[] {
  return epochs.map((e) => ({ epoch: e.epoch, startOffset: u64(e.startOffset) }));
}

export function epochsFromWire(epochs: readonly v1.EpochEntry__Output[]): EpochEntry[] {
  return epochs.map((e, i) => ({ epoch: parseU64(e.epoch, `epochs[${i}].epoch`), startOffset: parseU64(e.startOffset, `epochs[${i}].start_offset`) }));
}

export function stateOpsToWire(ops: readonly StateOp[]): v1.StateOp[] {
  return ops.map((op) => {
    switch (op.kind) {
      case 'put':
        return { kind: 'PUT', key: op.key, value: op.value };
      case 'del':
        return { kind: 'DEL', key: op.key };
      case 'clear':
        return { kind: 'CLEAR', key: op.gte, endKey: op.lt };
    }
  });
}

export function stateOpsFromWire(ops: readonly v1.StateOp__Output[]): StateOp[] {
  return ops.map((op, i) => {
    switch (op.kind) {
      case 'PUT':
        return { kind: 'put', key: op.key, value: op.value };
      case 'DEL':
        return { kind: 'del', key: op.key };
      case 'CLEAR':
        return { kind: 'clear', gte: op.key, lt: op.endKey };
      default:
        throw new OrbitError('BAD_REQUEST', `state op ${i} has unknown kind ${JSON.stringify(op.kind)}`);
    }
  });
}

/** Bytes as a human-readable size for messages ("300 MiB"). */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${Number.isInteger(value) ? value : value.toFixed(1)} ${units[unit]}`;
}
