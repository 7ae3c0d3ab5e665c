// Decoder for the compressed GeoJSON that ECharts 4 ships its maps in ("UTF8Encoding": true).
// Each ring is a string of character pairs; a pair is one (dx, dy) step from the previous vertex,
// stored as zigzag-encoded integers offset by 64 so that they are printable; the first step starts
// from the ring's encodeOffsets. Integers are 1/1024 of a degree (about 100 m), so these outlines
// are map-scale, not survey-scale.
import type { MultiPolygon, Polygon, Ring } from './polygon.ts';

const SCALE = 1024;

type Offset = [number, number];
interface EncodedGeometry {
  type: 'Polygon' | 'MultiPolygon';
  coordinates: string[] | string[][];
  encodeOffsets: Offset[] | Offset[][];
}
interface EncodedFeature {
  id?: string;
  properties: { name: string; cp?: [number, number] };
  geometry: EncodedGeometry;
}
/** The shape of an ECharts 4 map file. */
export interface EchartsMapFile {
  UTF8Encoding?: boolean;
  features: EncodedFeature[];
}

/** A decoded ECharts map feature, coordinates in whatever datum the file used. */
export interface DecodedFeature {
  id: string | undefined;
  name: string;
  /** The label anchor ECharts places the region name at, when the file has one. */
  centre: [number, number] | undefined;
  geometry: MultiPolygon;
}

/** Decodes one encoded ring string starting from its offset. */
export function decodeRing(encoded: string, offset: Offset): Ring {
  const ring: Ring = [];
  let x = offset[0];
  let y = offset[1];
  for (let i = 0; i + 1 < encoded.length; i += 2) {
    let dx = encoded.charCodeAt(i) - 64;
    let dy = encoded.charCodeAt(i + 1) - 64;
    // Zigzag: even values are non-negative, odd values negative.
    dx = (dx >> 1) ^ -(dx & 1);
    dy = (dy >> 1) ^ -(dy & 1);
    x += dx;
    y += dy;
    ring.push([x / SCALE, y / SCALE]);
  }
  const first = ring[0];
  const last = ring[ring.length - 1];
  if (first && last && (first[0] !== last[0] || first[1] !== last[1])) ring.push([first[0], first[1]]);
  return ring;
}

function decodePolygon(rings: string[], offsets: Offset[]): Polygon {
  return rings.map((r, i) => decodeRing(r, offsets[i]!));
}

/** Decodes every feature of an ECharts map file into MultiPolygons. */
export function decodeEchartsMap(file: EchartsMapFile): DecodedFeature[] {
  if (!file.UTF8Encoding) throw new Error('not an UTF8Encoding ECharts map file');
  return file.features.map((f) => {
    const g = f.geometry;
    const geometry =
      g.type === 'Polygon'
        ? [decodePolygon(g.coordinates as string[], g.encodeOffsets as Offset[])]
        : (g.coordinates as string[][]).map((p, i) => decodePolygon(p, (g.encodeOffsets as Offset[][])[i]!));
    return { id: f.id, name: f.properties.name, centre: f.properties.cp, geometry };
  });
}
