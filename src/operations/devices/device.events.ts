/** The events the devices module publishes. */
declare module '../../platform/bus/events.ts' {
  interface EventMap {
    /** A device was registered, changed (credentials) or deleted: every process drops it from its cache. */
    'devices.device.changed': { v: 1; id: string; action: string };
    /** An NGSI-LD subscription was created or deleted: every process reloads the ones it notifies for. */
    'devices.subscription.changed': { v: 1; id: string; action: string };
  }
}

export {};
