// Demo devices' secrets: derived from a key kept in the data dir (HMAC of the device id), so the
// simulator can connect as any demo device while the database keeps only hashes, as for real ones.
import { createHash, createHmac, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const FILE = 'demo-devices.key';

/** The data dir's demo key, created on first use (readable by its owner only). */
export function demoKey(dataDir: string, create: boolean): Buffer | null {
  const file = path.join(dataDir, FILE);
  if (fs.existsSync(file)) return Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'hex');
  if (!create) return null;
  fs.mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32);
  fs.writeFileSync(file, key.toString('hex') + '\n', { mode: 0o600 });
  return key;
}

export const demoSecret = (key: Buffer, deviceId: string) => createHmac('sha256', key).update(deviceId).digest('base64url');
export const secretHash = (secret: string) => createHash('sha256').update(secret).digest('hex');
