import type { ComponentStatus } from './component.schema.ts';

/** The events the components module publishes. */
declare module '../../platform/bus/events.ts' {
  interface EventMap {
    /**
     * A component was created, changed or deleted through the API (imports announce themselves
     * a batch at a time, with `components.import.progressed`). Carries the bounding boxes before and after, so
     * map-tile caches in every process can drop exactly the tiles it touched.
     */
    'components.component.changed': {
      v: 1;
      code: string;
      type: string;
      action: 'created' | 'updated' | 'deleted';
      jurisdictionCode: string;
      status: ComponentStatus | null;
      previousStatus: ComponentStatus | null;
      version: number;
      bboxes: Array<[number, number, number, number]>;
      /** Who made the change (an inspection by a grid worker files a case in their name); null for the system. */
      by?: string | null;
      /** The department that maintains it (a damaged component's case goes there first). */
      maintainerDept?: string | null;
    };
    /** An administrator added or changed a component type: every process reloads its type list. */
    'components.type.changed': { v: 1; code: string };
    /**
     * An import committed a batch that created or changed components: the box around every row it
     * wrote, where they were and where they are (map caches drop the tiles inside).
     */
    'components.import.progressed': { v: 1; importId: string; bbox: [number, number, number, number] };
    /** An import committed its last batch (or failed); counts are for the whole job. */
    'components.import.finished': { v: 1; importId: string; status: string; created: number; updated: number; unchanged: number; failed: number };
  }
}

export {};
