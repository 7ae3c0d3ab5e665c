import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chinaCalendar, scaleLimit } from './working-calendar.ts';

// Shanghai local time as an instant (UTC+8).
const sh = (iso: string) => Date.parse(`${iso}+08:00`);
const local = (t: number) => new Date(t + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
const cal = chinaCalendar();

test('public holidays are off and the weekends worked instead are on (2026 notice)', () => {
  assert.equal(cal.isWorkingDay('2026-10-03'), false, 'National Day');
  assert.equal(cal.holiday('2026-10-05'), '国庆节');
  assert.equal(cal.isWorkingDay('2026-10-10'), true, 'Saturday 10 October is worked');
  assert.equal(cal.isWorkingDay('2026-02-14'), true, 'Saturday before the Spring Festival is worked');
  assert.equal(cal.isWorkingDay('2026-02-16'), false, 'Spring Festival Monday');
  assert.equal(cal.isWorkingDay('2026-11-28'), false, 'an ordinary Saturday');
  assert.equal(cal.isWorkingDay('2026-11-30'), true, 'an ordinary Monday');
  assert.equal(cal.isWorkingDay('2025-04-27'), true, 'Sunday before Labour Day 2025 is worked');
});

test('working days count from the next working day and end at the close of office, across a holiday', () => {
  assert.equal(local(cal.due(sh('2026-09-30T10:00'), { amount: 3, unit: 'work_days' })), '2026-10-10 17:00');
  assert.equal(local(cal.due(sh('2026-11-27T15:00'), { amount: 1, unit: 'work_days' })), '2026-11-30 17:00', 'Friday + 1 is Monday');
});

test('working hours skip lunch, nights, weekends and holidays; clock hours do not', () => {
  assert.equal(local(cal.due(sh('2026-09-30T16:30'), { amount: 2, unit: 'work_hours' })), '2026-10-08 10:30');
  assert.equal(local(cal.due(sh('2026-11-30T11:00'), { amount: 2, unit: 'work_hours' })), '2026-11-30 14:00');
  assert.equal(local(cal.due(sh('2026-11-28T20:00'), { amount: 1, unit: 'work_hours' })), '2026-11-30 10:00', 'reported on Saturday evening');
  assert.equal(local(cal.due(sh('2026-10-01T20:00'), { amount: 2, unit: 'hours' })), '2026-10-01 22:00', 'emergencies run round the clock');
});

test('the 80 % point is counted the limit\'s way, and severity shortens a limit', () => {
  const start = sh('2026-11-30T16:00');
  const due = cal.due(start, { amount: 5, unit: 'work_hours' }); // 1 h Monday + 4 h Tuesday
  assert.equal(local(due), '2026-12-01 14:00');
  assert.equal(local(cal.pointAt(start, due, 'work_hours', 0.8)), '2026-12-01 12:00');
  assert.equal(cal.workingMsBetween(start, due), 5 * 3600_000);
  assert.deepEqual(scaleLimit({ amount: 2, unit: 'work_days' }, 0.5), { amount: 7, unit: 'work_hours' });
  assert.deepEqual(scaleLimit({ amount: 4, unit: 'hours' }, 0.25), { amount: 1, unit: 'hours' });
});

test('office time backwards mirrors forwards: an overdue clock is placed as far behind as it was', () => {
  assert.equal(local(cal.subtractWorkingMs(sh('2026-12-01T10:00'), 2 * 3600_000)), '2026-11-30 16:00', 'over the night');
  assert.equal(local(cal.subtractWorkingMs(sh('2026-10-08T09:30'), 3600_000)), '2026-09-30 16:30', 'over the National Day holiday');
  assert.equal(local(cal.subtractWorkingMs(sh('2026-11-30T13:30'), 3600_000)), '2026-11-30 11:30', 'over lunch');
  for (const [at, ms] of [['2026-11-30T10:00', 9 * 3600_000], ['2026-12-02T16:59', 61_000]] as const) {
    assert.equal(cal.addWorkingMs(cal.subtractWorkingMs(sh(at), ms), ms), sh(at));
  }
  assert.equal(cal.signedWorkingMs(sh('2026-12-01T10:00'), sh('2026-11-30T16:00')), -2 * 3600_000);
  assert.equal(cal.shiftWorkingMs(sh('2026-12-01T10:00'), -2 * 3600_000), sh('2026-11-30T16:00'));
});
