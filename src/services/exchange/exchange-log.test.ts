import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalBody, entryBody } from './exchange-log.ts';
import type { LogRow } from './exchange.schema.ts';

// The log's hash runs over entryBody(), a hand-written canonical(): any difference would make every
// entry written before (or after) look altered to verify().
test('the hashed text of a log entry is exactly canonical() of its fields, as stored on either dialect', () => {
  const base: Omit<LogRow, 'hash'> = {
    seq: 42, at: 1_772_416_800_000, department_code: 'scjg.310115', account_id: '7f1c0a52-1d5e-4c1b-9a53-7d3c8a2b9e10', system: '浦东食品许可审批系统',
    purpose: '办理食品经营许可 <script>alert("x")</script> \\ "quoted"', reference: 'SQ2026-000123', resource_code: 'RK-0001', grant_id: 'G-0001',
    subject_kind: 'person', subject_id: '310115198805179512', fields: JSON.stringify(['idNumber', 'name', '住址']), masked: JSON.stringify(['idNumber']),
    outcome: 'ok', prev_hash: 'a'.repeat(64),
  };
  const variants: Array<Omit<LogRow, 'hash'>> = [
    base,
    { ...base, system: null, reference: null, grant_id: null, department_code: null },
    { ...base, fields: ['idNumber', 'name'], masked: [] }, // jsonb as PostgreSQL returns it
    { ...base, fields: JSON.stringify([]), masked: JSON.stringify([]), outcome: 'EXCHANGE_GRANT_MISSING' },
    { ...base, department_code: undefined as never }, // left out, as canonical() leaves undefined out
  ];
  for (const v of variants) assert.equal(entryBody(v), canonicalBody(v));
});
