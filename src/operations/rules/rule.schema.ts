import { Type, type Static } from 'typebox';
import type { Condition } from './condition.ts';

declare module '../../platform/db/tables.ts' {
  interface Tables {
    rules_rule: RuleRow;
    rules_alert: AlertRow;
  }
}

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];
export type AlertStatus = 'active' | 'acknowledged' | 'cleared';

export interface RuleRow {
  id: string;
  pack: string | null;
  name_zh: string;
  name_en: string;
  device_type: string;
  jurisdiction_code: string;
  severity: Severity;
  condition: Condition | string;
  clear_after_s: number;
  message_zh: string;
  message_en: string;
  enabled: boolean | number;
  version: number;
  created_by: string | null;
  created_at: number;
  updated_at: number;
}

export interface AlertRow {
  id: string;
  rule_id: string;
  subject_type: 'device';
  subject_id: string;
  jurisdiction_code: string;
  lon: number;
  lat: number;
  severity: Severity;
  status: AlertStatus;
  message: string;
  evidence: Evidence | string;
  raised_at: number;
  acknowledged_at: number | null;
  acknowledged_by: string | null;
  cleared_at: number | null;
}

/** The readings that fired an alert: the latest few of each metric the rule reads. */
export interface Evidence {
  readings: Array<{ metric: string; at: number; value: number }>;
  lastSeen: number | null;
  /** For detection rules: what the camera saw (class, confidence, time, snapshot). */
  detections?: Array<{ class: string; confidence: number; at: number; snapshotUrl: string | null }>;
}

const SeverityT = Type.Union(SEVERITIES.map((s) => Type.Literal(s)));

export const RuleSchema = Type.Object({
  id: Type.String(),
  pack: Type.Union([Type.String(), Type.Null()]),
  nameZh: Type.String(),
  nameEn: Type.String(),
  deviceType: Type.String(),
  jurisdictionCode: Type.String(),
  severity: Type.String(),
  condition: Type.Unknown(),
  clearAfterS: Type.Integer(),
  messageZh: Type.String(),
  messageEn: Type.String(),
  enabled: Type.Boolean(),
  version: Type.Integer(),
  updatedAt: Type.Integer(),
});
export type RuleView = Static<typeof RuleSchema>;

export const RuleBody = Type.Object({
  id: Type.Optional(Type.String({ pattern: '^[a-z0-9_.-]{3,80}$' })),
  nameZh: Type.String({ minLength: 1, maxLength: 200 }),
  nameEn: Type.String({ minLength: 1, maxLength: 200 }),
  deviceType: Type.String({ maxLength: 40 }),
  jurisdictionCode: Type.Optional(Type.String({ pattern: '^\\d{6,15}$', description: 'where it applies; default your jurisdiction' })),
  severity: SeverityT,
  condition: Type.Unknown({ description: 'see docs/rules.md' }),
  clearAfterS: Type.Optional(Type.Integer({ minimum: 0, maximum: 86_400, default: 60 })),
  messageZh: Type.Optional(Type.String({ maxLength: 500 })),
  messageEn: Type.Optional(Type.String({ maxLength: 500 })),
  enabled: Type.Optional(Type.Boolean()),
});
export type RuleInput = Static<typeof RuleBody>;

export const AlertSchema = Type.Object({
  id: Type.String(),
  ruleId: Type.String(),
  ruleName: Type.String(),
  subjectType: Type.String(),
  subjectId: Type.String(),
  jurisdictionCode: Type.String(),
  point: Type.Tuple([Type.Number(), Type.Number()]),
  severity: Type.String(),
  status: Type.String(),
  message: Type.String(),
  evidence: Type.Unknown(),
  raisedAt: Type.Integer(),
  acknowledgedAt: Type.Union([Type.Integer(), Type.Null()]),
  acknowledgedBy: Type.Union([Type.String(), Type.Null()]),
  clearedAt: Type.Union([Type.Integer(), Type.Null()]),
});
export type AlertView = Static<typeof AlertSchema>;
