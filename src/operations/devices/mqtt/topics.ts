// The MQTT topic scheme (docs/devices.md): each device publishes on topics under its own id.
//   yiwang/v1/devices/{deviceId}/telemetry   readings (JSON, QoS 0 or 1)
// A device may publish and subscribe only under yiwang/v1/devices/{its own id}/.

export const TOPIC_ROOT = 'yiwang/v1/devices';

export const telemetryTopic = (deviceId: string) => `${TOPIC_ROOT}/${deviceId}/telemetry`;

/** The shared subscription through which the processes of one deployment split the devices' telemetry. */
export const sharedTelemetry = (group: string) => `$share/${group}/${TOPIC_ROOT}/+/telemetry`;

/** { deviceId, kind } of a device topic, or null when the topic is not one. */
export function parseDeviceTopic(topic: string): { deviceId: string; kind: string } | null {
  const parts = topic.split('/');
  if (parts.length !== 5 || `${parts[0]}/${parts[1]}/${parts[2]}` !== TOPIC_ROOT || !parts[3] || !parts[4]) return null;
  return { deviceId: parts[3], kind: parts[4] };
}

/** Whether a device may use this topic or topic filter: only its own subtree (ids hold no / + #). */
export function ownsTopic(deviceId: string, topic: string): boolean {
  return topic.startsWith(`${TOPIC_ROOT}/${deviceId}/`);
}
