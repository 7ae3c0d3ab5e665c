/**
 * What a message is about. A small fixed set, so an inbox can be grouped into tabs and a person can
 * choose per topic where messages go. Adding a topic is a code change on purpose: each one needs
 * labels, a place in the UI and a default.
 */
export const TOPICS = ['account', 'application', 'case', 'alert', 'consultation', 'system'] as const;

export type Topic = (typeof TOPICS)[number];

/** Labels in zh-CN (the default) and English. */
export const TOPIC_LABELS: Record<Topic, { zh: string; en: string }> = {
  account: { zh: '账户与安全', en: 'Account & security' },
  application: { zh: '办件进度', en: 'Applications' },
  case: { zh: '案件处置', en: 'Cases' },
  alert: { zh: '预警提醒', en: 'Alerts' },
  // consultation = 意见征集: drafts and plans open for public comment, and replies to one's comments.
  consultation: { zh: '意见征集', en: 'Consultations' },
  system: { zh: '系统通知', en: 'System notices' },
};

export function isTopic(value: unknown): value is Topic {
  return typeof value === 'string' && (TOPICS as readonly string[]).includes(value);
}
