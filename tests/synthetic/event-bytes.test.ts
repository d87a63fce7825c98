import { describe, expect, it } from 'vitest';
import { EventBytes } from '../../src/synthetic/event-bytes.js';
import { event, type SyntheticEvent } from '../../src/synthetic/engagement.js';
import { eventLine } from '../../src/synthetic/rows.js';

const DAY = 86_400_000;

describe('EventBytes', () => {
  it('writes exactly the UTF-8 of eventLine and a line break, whatever the fields, across buffer growth', () => {
    const events: SyntheticEvent[] = [
      event(Date.UTC(2024, 1, 29, 23, 59, 59, 999.75), 'product_view', 'Soins & visage', 12, 'mobile', undefined),
      event(Date.UTC(2025, 11, 31, 0, 0, 0), 'email_open', undefined, undefined, undefined, 'email-0042'),
      event(Date.UTC(2023, 0, 1, 9, 5, 7) + 0.4, 'add_to_cart', 'Bébé, "jouets"', 1234.005, 'desktop', undefined),
      event(-DAY * 1.5, 'session_start', undefined, undefined, 'tablette', undefined),
      event(Date.UTC(12_000, 5, 1, 12), 'checkout_start', 'x'.repeat(300), -3.456, undefined, undefined),
      event(Date.UTC(2024, 2, 3), 'product_view', 'a', 0, 'mobile', undefined),
      event(Date.UTC(2024, 2, 3), 'product_view', 'a', -0, 'mobile', undefined),
      event(Date.UTC(2024, 2, 3), 'product_view', 'a', 9_007_199_254_740_991, 'mobile', undefined),
      event(Date.UTC(2024, 2, 3), 'product_view', 'a', 1e21, 'mobile', undefined),
      event(Date.UTC(2024, 2, 3), 'product_view', 'a', 100, 'mobile', undefined),
      event(Date.UTC(2024, 2, 3), 'product_view', 'a', -7, 'mobile', undefined),
      { occurredAt: Date.UTC(2024, 6, 14, 14, 3, 9), type: 'page_view' },
    ];
    const writer = new EventBytes(16);
    writer.addCustomer('C0000001', events.slice(0, 3));
    writer.addCustomer('C0000002', events.slice(3));
    const expected =
      events.slice(0, 3).map((e) => `${eventLine('C0000001', e)}\n`).join('') +
      events.slice(3).map((e) => `${eventLine('C0000002', e)}\n`).join('');
    expect(expected).toContain('"Bébé, ""jouets"""');
    expect(new TextDecoder().decode(writer.take())).toBe(expected);
    expect(writer.length).toBe(0);
    writer.addCustomer('C0000003', events.slice(11));
    expect(new TextDecoder().decode(writer.take())).toBe('C0000003,2024-07-14 14:03:09,page_view,,,,\n');
  });
});
