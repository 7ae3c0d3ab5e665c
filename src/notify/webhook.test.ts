import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AppError } from '../platform/errors.ts';
import { DeliveryError, type DeliverableMessage, type RecipientPrefs } from './delivery.ts';
import { MAX_WEBHOOK_URL, WebhookAdapter, isPrivateAddress, signWebhook, validateWebhookUrl, verifyWebhookSignature } from './webhook.ts';
import { webhookReceiver, type WebhookReceiver } from './testing.ts';

const message: DeliverableMessage = {
  id: 'm-1',
  recipientId: 'a-1',
  topic: 'alert',
  title: '暴雨预警',
  body: '请注意安全',
  link: null,
  subject: null,
  createdAt: 0,
};
const prefs = (url: string): RecipientPrefs => ({ accountId: 'a-1', channels: { alert: ['webhook'] }, webhookUrl: url, webhookSecret: 'k'.repeat(64) });
const meta = { deliveryId: 'd-1', attempt: 1, now: Date.UTC(2026, 0, 1) };

describe('webhook signatures', () => {
  const t = 1_800_000_000;
  test('a signature verifies with the same secret, body and a recent time', () => {
    const header = signWebhook('secret', '{"a":1}', t);
    assert.match(header, /^t=1800000000,v1=[0-9a-f]{64}$/);
    assert.equal(verifyWebhookSignature('secret', '{"a":1}', header, t + 10), true);
  });
  test('another secret, a changed body, an old time or a garbled header do not verify', () => {
    const header = signWebhook('secret', '{"a":1}', t);
    assert.equal(verifyWebhookSignature('other', '{"a":1}', header, t), false);
    assert.equal(verifyWebhookSignature('secret', '{"a":2}', header, t), false);
    assert.equal(verifyWebhookSignature('secret', '{"a":1}', header, t + 3600), false);
    assert.equal(verifyWebhookSignature('secret', '{"a":1}', 'v1=zz', t), false);
    assert.equal(verifyWebhookSignature('secret', '{"a":1}', header.replace(/.$/, ''), t), false);
  });
});

describe('webhook URLs', () => {
  const field = (fn: () => unknown) => {
    try {
      fn();
    } catch (err) {
      assert.ok(err instanceof AppError);
      return err.field;
    }
    return null;
  };
  test('http and https URLs on public hosts are accepted as given', () => {
    assert.equal(validateWebhookUrl('https://hooks.example.com/yiwang?x=1'), 'https://hooks.example.com/yiwang?x=1');
    assert.equal(validateWebhookUrl(' http://93.184.215.14:8080/h '), 'http://93.184.215.14:8080/h');
    assert.equal(validateWebhookUrl('http://[2002:5db8:d70e::1]/h'), 'http://[2002:5db8:d70e::1]/h', '6to4 of a public address');
    assert.equal(validateWebhookUrl('https://hooks.example.com./h'), 'https://hooks.example.com./h', 'a fully qualified name');
  });
  test('local names with a trailing dot, single-label names, IPv4-compatible, 6to4 and documentation addresses are refused', () => {
    for (const url of [
      'http://localhost./', 'http://LOCALHOST../x', 'http://api.localhost./', 'http://printer.local./', 'http://metadata.google.internal./',
      'http://intranet/', 'http://[::7f00:1]/', 'http://[::127.0.0.1]/', 'http://[::a9fe:a9fe]/', 'http://[2002:7f00:1::]/', 'http://[2002:a9fe:a9fe::1]/',
      'http://[::ffff:7f00:1]/', 'http://192.0.2.10/', 'http://198.51.100.7/', 'http://203.0.113.9:8080/h', 'http://0x7f.1/', 'http://2130706433/',
    ]) {
      assert.equal(field(() => validateWebhookUrl(url)), 'webhook.url', url);
    }
  });
  test('the length limit applies to the URL as stored (percent-encoded), not as typed', () => {
    const typed = 'https://hooks.example.com/' + 'é'.repeat(1900);
    assert.ok(typed.length < MAX_WEBHOOK_URL);
    assert.equal(field(() => validateWebhookUrl(typed)), 'webhook.url');
    const fits = 'https://hooks.example.com/' + 'é'.repeat(329);
    assert.equal(validateWebhookUrl(fits).length, MAX_WEBHOOK_URL);
  });
  test('raw control characters and unpaired surrogates in a URL are refused, not silently encoded', () => {
    for (const url of ['https://hooks.example.com/x\u0000y', 'https://hooks.example.com/x\ud800', 'https://hooks.example.com/a b', 'https://hooks.example.com/\t/x']) {
      assert.equal(field(() => validateWebhookUrl(url)), 'webhook.url', JSON.stringify(url));
    }
  });
  test('other schemes, credentials, and private or local hosts are refused', () => {
    for (const url of ['ftp://example.com/', 'javascript:alert(1)', 'data:text/plain,hi', 'https://u:p@example.com/', 'http://127.0.0.1/', 'http://10.1.2.3/', 'http://169.254.169.254/latest/meta-data', 'http://[::1]/', 'http://localhost:8080/', 'http://printer.local/', 'nonsense']) {
      assert.equal(field(() => validateWebhookUrl(url)), 'webhook.url', url);
    }
  });
  test('private hosts are accepted when the deployment allows them', () => {
    assert.equal(validateWebhookUrl('http://127.0.0.1:9000/h', { allowPrivateNetworks: true }), 'http://127.0.0.1:9000/h');
  });
  test('private address ranges', () => {
    for (const a of [
      '127.0.0.1', '10.0.0.1', '172.16.5.5', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', '::', 'fd00::1', 'fe80::1', 'fe80::1%eth0',
      '::ffff:127.0.0.1', '::ffff:7f00:1', 'not-an-ip',
      // TEST-NET-1/2/3 and IPv6 documentation
      '192.0.2.1', '198.51.100.1', '203.0.113.9', '2001:db8::1',
      // IPv4-compatible ::/96 (any embedded address), 6to4 of a private address, NAT64, Teredo
      '::7f00:1', '::127.0.0.1', '::808:808', '2002:7f00:1::', '2002:a00:1::1', '2002:c0a8:101::', '64:ff9b::a9fe:a9fe', '2001:0:4136:e378::1',
    ]) {
      assert.equal(isPrivateAddress(a), true, a);
    }
    for (const a of ['93.184.215.14', '8.8.8.8', '172.32.0.1', '2606:4700::1111', '::ffff:8.8.8.8', '2002:808:808::1']) assert.equal(isPrivateAddress(a), false, a);
  });
});

describe('webhook adapter', () => {
  let hook: WebhookReceiver;
  before(async () => {
    hook = await webhookReceiver();
  });
  after(async () => hook.close());

  test('a hostname that resolves to a private address is refused at connection time', async () => {
    const adapter = new WebhookAdapter({ timeoutMs: 1000 });
    const url = hook.url.replace('127.0.0.1', 'localhost');
    await assert.rejects(adapter.deliver(message, prefs(url), meta), (err: unknown) => {
      assert.ok(err instanceof DeliveryError);
      assert.equal(err.permanent, true);
      assert.match(err.message, /private address/);
      return true;
    });
    await assert.rejects(adapter.deliver(message, prefs(hook.url), meta), /private address/);
    assert.equal(hook.received.length, 0);
  });

  test('with private networks allowed it posts, and 3xx answers are not followed', async () => {
    const adapter = new WebhookAdapter({ timeoutMs: 1000, allowPrivateNetworks: true });
    await adapter.deliver(message, prefs(hook.url.replace('127.0.0.1', 'localhost')), meta);
    assert.equal(hook.received.length, 1);
    hook.answer = () => 302;
    await assert.rejects(adapter.deliver(message, prefs(hook.url), meta), (err: unknown) => err instanceof DeliveryError && err.permanent && err.statusCode === 302);
    hook.answer = () => 429;
    await assert.rejects(adapter.deliver(message, prefs(hook.url), meta), (err: unknown) => err instanceof DeliveryError && !err.permanent);
  });

  test('without a URL or secret the person is not set up for webhooks', () => {
    const adapter = new WebhookAdapter();
    assert.equal(adapter.isConfigured({ ...prefs('https://x.example/'), webhookSecret: null }), false);
    assert.equal(adapter.isConfigured({ ...prefs('https://x.example/'), webhookUrl: null }), false);
    assert.equal(adapter.isConfigured(prefs('https://x.example/')), true);
  });
});
