import { BatchSizer } from './batched-move';

describe('BatchSizer', () => {
  it('keeps a fixed size without a target time, however long batches take', () => {
    const sizer = new BatchSizer(500);
    sizer.record(500, 5_000);
    sizer.record(500, 1);
    expect(sizer.next).toBe(500);
  });

  it('starts at 1,000 rows (or the largest size, if smaller) with a target time', () => {
    expect(new BatchSizer(10_000, 100).next).toBe(1_000);
    expect(new BatchSizer(300, 100).next).toBe(300);
  });

  it('grows at most twofold per batch while batches are fast, up to the largest size', () => {
    const sizer = new BatchSizer(10_000, 100);
    const sizes: number[] = [];
    for (let batch = 0; batch < 6; batch += 1) {
      sizer.record(sizer.next, 1);
      sizes.push(sizer.next);
    }
    expect(sizes).toEqual([2_000, 4_000, 8_000, 10_000, 10_000, 10_000]);
  });

  it('sizes a batch to last about the target when the rate is steady', () => {
    const sizer = new BatchSizer(50_000, 100);
    // 20 rows per millisecond: 2,000 rows make 100 ms.
    for (let batch = 0; batch < 10; batch += 1) sizer.record(sizer.next, sizer.next / 20);
    expect(sizer.next).toBe(2_000);
  });

  it('shrinks at most fourfold per batch when one is slow, never below 100 rows', () => {
    const sizer = new BatchSizer(10_000, 100);
    sizer.record(1_000, 10_000);
    expect(sizer.next).toBe(250);
    sizer.record(250, 10_000);
    expect(sizer.next).toBe(100);
    sizer.record(100, 10_000);
    expect(sizer.next).toBe(100);
  });

  it('learns nothing from a short batch at the end of the table', () => {
    const sizer = new BatchSizer(10_000, 100);
    sizer.record(10, 1);
    expect(sizer.next).toBe(1_000);
  });
});
