/** The events the exchange publishes. */
declare module '../../platform/bus/events.ts' {
  interface EventMap {
    /** A department published a data resource in the catalogue. */
    'exchange.resource.published': { v: 1; code: string; ownerCode: string };
    /** A department asked for access to another department's resource. */
    'exchange.request.created': { v: 1; requestId: string; resourceCode: string; ownerCode: string; requesterCode: string };
    /** The owner granted or refused a request. */
    'exchange.request.decided': { v: 1; requestId: string; resourceCode: string; requesterCode: string; status: 'granted' | 'refused' };
    /** A grant was revoked: calls under it fail from now on. */
    'exchange.grant.revoked': { v: 1; requestId: string; resourceCode: string; requesterCode: string };
  }
}

export {};
