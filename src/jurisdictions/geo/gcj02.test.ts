import { test } from 'node:test';
import assert from 'node:assert/strict';
import { distanceMetres, gcj02ToWgs84, wgs84ToGcj02 } from './gcj02.ts';

test('forward transform matches published reference pairs', () => {
  // Reference pairs published with several independent GCJ-02 implementations.
  const cases: [number, number, number, number][] = [
    [121.5272106, 31.1774276, 121.531541859215, 31.17530398364597], // Shanghai
    [113.912316, 22.543847, 113.9171764808363, 22.540796131694766], // Shenzhen
    [116.377817, 39.911954, 116.38404722455657, 39.91334545536069], // Beijing
  ];
  for (const [lon, lat, gLon, gLat] of cases) {
    const [x, y] = wgs84ToGcj02(lon, lat);
    assert.ok(Math.abs(x - gLon) < 1e-9 && Math.abs(y - gLat) < 1e-9, `${lon},${lat} -> ${x},${y}`);
  }
});

test('inverse round-trips to under a centimetre across the Shanghai area', () => {
  let worst = 0;
  for (let lon = 120.8; lon <= 122.1; lon += 0.05) {
    for (let lat = 30.6; lat <= 31.9; lat += 0.05) {
      const [gLon, gLat] = wgs84ToGcj02(lon, lat);
      const [wLon, wLat] = gcj02ToWgs84(gLon, gLat);
      worst = Math.max(worst, distanceMetres(lon, lat, wLon, wLat));
    }
  }
  assert.ok(worst < 0.01, `worst round-trip error ${worst} m`);
});

test('the shift in Shanghai is a few hundred metres, east and south', () => {
  const [gLon, gLat] = wgs84ToGcj02(121.49, 31.24);
  const shift = distanceMetres(121.49, 31.24, gLon, gLat);
  assert.ok(shift > 400 && shift < 600, `shift ${shift} m`);
  assert.ok(gLon > 121.49 && gLat < 31.24);
});

test('positions outside China are left alone', () => {
  assert.deepEqual(wgs84ToGcj02(2.35, 48.85), [2.35, 48.85]);
  assert.deepEqual(gcj02ToWgs84(-74, 40.7), [-74, 40.7]);
});
