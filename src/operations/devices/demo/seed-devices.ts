import type { AppContext } from '../../../platform/context.ts';
import type { Progress } from '../../../platform/module.ts';
import { mulberry32 } from '../../../jurisdictions/geo/random.ts';
import { HUANGPU_CENTRELINE } from '../../../platform/geo/water.ts';
import type { DeviceRow } from '../device.schema.ts';
import type { DeviceStore } from '../device.store.ts';
import { demoKey, demoSecret, secretHash } from './secrets.ts';

/**
 * How many of each type 浦东新区 gets at demo scale 1 (about 44,000, the order of Pudong's
 * operations centre), mounted on the components they belong to where the type says so.
 */
export const DEMO_DEVICES: Record<string, number> = {
  water_level: 400, rain_gauge: 100, road_ponding: 150, smoke_detector: 12_000, water_quality: 150, manhole_tilt: 8000,
  streetlight_controller: 6000, heritage_tree_soil: 400, elderly_door_sensor: 5000, elevator_monitor: 5000, crowd_counter: 200,
  camera: 1500, gas_detector: 800, noise_monitor: 100, air_quality: 60, hydrant_pressure: 1000, electrical_fire: 300, bin_fill_level: 1500, care_water_meter: 800,
};
const DISTRICT = '310115';

/**
 * A point on the Huangpu's east (浦东) bank, a fraction `f` of the way from the mouth upstream: half
 * the water gauges stand at sluices and flood walls along the river, where a typhoon shows first.
 */
function onTheBank(f: number, r: number): [number, number] {
  const line = HUANGPU_CENTRELINE;
  const k = Math.min(line.length - 2, Math.floor(f * (line.length - 1)));
  const t = f * (line.length - 1) - k;
  const [x0, y0, w0] = line[k]!;
  const [x1, y1] = line[k + 1]!;
  // East of the centreline by half the river's width and a little more (metres → degrees).
  const east = (w0 / 2 + 40 + r * 60) / 95_000;
  return [x0 + (x1 - x0) * t + east, y0 + (y1 - y0) * t];
}

/**
 * Seeds the demo city's devices in 浦东新区: on components of the types they mount on (manhole
 * sensors on manhole covers, controllers on street lamps…), otherwise at places inside the district's
 * streets. Ids are stable (`demo-<type>-<n>`), so a re-run adds only what is missing.
 */
export async function seedDemoDevices(ctx: AppContext, store: DeviceStore, scale: number, progress: Progress): Promise<number> {
  const types = ctx.services.devices.types;
  await types.ready(ctx.db);
  const key = demoKey(ctx.config.dataDir, true)!;
  const places = ctx.services.jurisdictions;
  const streets = places.children(DISTRICT).map((s) => s.code);
  if (streets.length === 0) return 0;
  const random = mulberry32(20260725);
  const now = ctx.clock.now();
  let added = 0;
  const total = Object.values(DEMO_DEVICES).reduce((a, b) => a + Math.max(1, Math.round(b * scale)), 0);
  for (const [code, perScale] of Object.entries(DEMO_DEVICES)) {
    const type = types.get(code);
    if (!type) continue;
    const n = Math.max(1, Math.round(perScale * scale));
    const ids = Array.from({ length: n }, (_, i) => `demo-${code.replace(/_/g, '-')}-${i + 1}`);
    const have = new Set((await store.find(ctx.db, { prefix: '31', ids }, n)).map((r) => r.id));
    const mounts = type.view.mountOn.length
      ? await ctx.db.selectFrom('components_item').select(['code', 'lon', 'lat']).where('type_code', 'in', type.view.mountOn).where('jurisdiction_code', '>=', DISTRICT).where('jurisdiction_code', '<', DISTRICT + '~').orderBy('id').limit(n * 3).execute()
      : [];
    const rows: DeviceRow[] = [];
    // Every demo device is Pudong's: one owner per type (the type's sector's branch in the district).
    const owner = await ctx.services.devices.defaultOwner(type, DISTRICT);
    for (let i = 0; i < n; i++) {
      const id = ids[i]!;
      const mount = mounts.length ? mounts[Math.floor((i * mounts.length) / n)] : undefined;
      let point: [number, number];
      if (mount) point = [Number(mount.lon), Number(mount.lat)];
      else if (code === 'water_level' && i % 2 === 0) point = onTheBank(i / n, random());
      else {
        const street = places.get(streets[Math.floor(random() * streets.length)]!) as unknown as { centroid: [number, number] };
        point = [street.centroid[0] + (random() - 0.5) * 0.02, street.centroid[1] + (random() - 0.5) * 0.02];
      }
      if (have.has(id)) continue;
      const place = places.locate(point[0], point[1]);
      if (!place?.code.startsWith(DISTRICT)) continue; // the demo's devices are Pudong's (a bank point may fall across the river)
      rows.push({
        id,
        type_code: code,
        name: `${type.row.name_zh} ${String(i + 1).padStart(5, '0')}`,
        component_code: mount?.code ?? null,
        lon: point[0],
        lat: point[1],
        jurisdiction_code: place.code,
        owner_dept: owner,
        secret_hash: secretHash(demoSecret(key, id)),
        last_seen_at: null,
        version: 1,
        created_at: now,
        updated_at: now,
      });
    }
    await ctx.transaction((tx) => store.insert(tx, rows));
    added += rows.length;
    progress('demo devices', added, total);
  }
  return added;
}
