// Decoding helpers for the encoder's tests: @mapbox/vector-tile for what a client sees, and a raw
// protobuf reader for the wire details it hides.
import assert from 'node:assert/strict';
import { VectorTile, type VectorTileFeature } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import type { TileFeature } from './mvt.ts';

export const decode = (buf: Uint8Array) => new VectorTile(new PbfReader(buf));

/** Feature `i` of layer `name`, failing the test when either is missing. */
export function feature(tile: VectorTile, name: string, i = 0): VectorTileFeature {
  const layer = tile.layers[name];
  assert.ok(layer, `layer ${name}`);
  assert.ok(i < layer.length, `feature ${i} of ${name}`);
  return layer.feature(i);
}

export const xy = (rings: { x: number; y: number }[][]) => rings.map((r) => r.map((p) => [p.x, p.y]));

/** Reads the protobuf independently of @mapbox/vector-tile, keeping wire details it hides. */
export interface RawValue {
  field: number;
  value: unknown;
}
export interface RawFeature {
  id?: number;
  tags: number[];
  type: number;
  geometry: number[];
}
export interface RawLayer {
  name: string;
  keys: string[];
  values: RawValue[];
  features: RawFeature[];
  extent?: number;
  version?: number;
}
export function rawLayers(buf: Uint8Array): RawLayer[] {
  const readValue = (tag: number, v: RawValue, p: PbfReader) => {
    v.field = tag;
    v.value = tag === 1 ? p.readString() : tag === 3 ? p.readDouble() : tag === 5 ? p.readVarint() : tag === 6 ? p.readSVarint() : tag === 7 ? p.readBoolean() : undefined;
  };
  const readFeature = (tag: number, f: RawFeature, p: PbfReader) => {
    if (tag === 1) f.id = p.readVarint();
    else if (tag === 2) p.readPackedVarint(f.tags);
    else if (tag === 3) f.type = p.readVarint();
    else if (tag === 4) p.readPackedVarint(f.geometry);
  };
  const readLayer = (tag: number, l: RawLayer, p: PbfReader) => {
    if (tag === 1) l.name = p.readString();
    else if (tag === 2) l.features.push(p.readMessage(readFeature, { tags: [], type: 0, geometry: [] }));
    else if (tag === 3) l.keys.push(p.readString());
    else if (tag === 4) l.values.push(p.readMessage(readValue, { field: 0, value: undefined }));
    else if (tag === 5) l.extent = p.readVarint();
    else if (tag === 15) l.version = p.readVarint();
  };
  return new PbfReader(buf).readFields(
    (tag, layers: RawLayer[], p) => {
      if (tag === 3) layers.push(p.readMessage(readLayer, { name: '', keys: [], values: [], features: [] }));
    },
    [],
  );
}

export const pointAt = (x: number, y: number, properties: TileFeature['properties'] = {}, id?: number): TileFeature => ({
  id,
  geometry: { type: 'Point', points: [[x, y]] },
  properties,
});
