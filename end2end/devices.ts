// The device each Playwright project emulates; tests that open a second
// browser context use the same one.
export const DEVICES = {
  desktop: 'Desktop Chrome',
  phone: 'Pixel 7',
} as const;

export type ProjectName = keyof typeof DEVICES;
