/**
 * The fleet the example works on: devices, geofences and positions generated from seeds, so that
 * every run of a job type sees the same data for the same input (processors must be idempotent).
 * The seed's back-end read them from PostgreSQL; nothing here is stored.
 */

/**
 * The example's queues: the seed's four, `reports` renamed `fleet-reports` because Jobgate's
 * `exportReport` and `importProject` already use `reports` (sharing it would let the example
 * change that queue's retention and leave jobs no worker knows once the example is off).
 */
export const FleetQueue = {
  POSITIONS: 'positions',
  REPORTS: 'fleet-reports',
  CLEANUP: 'cleanup',
  NOTIFICATIONS: 'notifications',
} as const;

export interface Device {
  id: string;
  plate: string;
  driver: string;
  /** The user who follows the device (daily summaries go to them). */
  userId: string;
  speedLimitKmh: number;
  odometerKm: number;
  nextMaintenanceKm: number;
}

export interface Geofence {
  id: string;
  name: string;
  latitude: number;
  longitude: number;
  radiusM: number;
}

export interface Position {
  deviceId: string;
  latitude: number;
  longitude: number;
  speedKmh: number;
  recordedAt: number;
}

/** A deterministic generator of numbers in [0, 1) (mulberry32) from a text seed. */
export function random(seed: string): () => number {
  let state = 0;
  for (const char of seed) state = (Math.imul(state, 31) + char.charCodeAt(0)) | 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const round = (value: number, digits: number): number => Math.round(value * 10 ** digits) / 10 ** digits;

export const DEVICES: readonly Device[] = Array.from({ length: 20 }, (_, index) => {
  const next = random(`device-${index}`);
  const odometerKm = Math.round(20_000 + next() * 180_000);
  return {
    id: `truck-${String(index + 1).padStart(2, '0')}`,
    plate: `FLT${String(1000 + index * 37).slice(-4)}`,
    driver: ['Ana', 'Bruno', 'Carla', 'Diego', 'Elisa'][index % 5],
    userId: `user-${(index % 4) + 1}`,
    speedLimitKmh: [80, 90, 110][index % 3],
    odometerKm,
    nextMaintenanceKm: Math.ceil(odometerKm / 10_000) * 10_000,
  };
});

export const GEOFENCES: readonly Geofence[] = [
  { id: 'depot', name: 'Depot, São Paulo', latitude: -23.5505, longitude: -46.6333, radiusM: 2500 },
  { id: 'port', name: 'Port of Santos', latitude: -23.9608, longitude: -46.3336, radiusM: 4000 },
  { id: 'client-gru', name: 'Client, Guarulhos', latitude: -23.4356, longitude: -46.4731, radiusM: 3000 },
];

export const deviceById = (id: string): Device | undefined => DEVICES.find((device) => device.id === id);
export const geofenceById = (id: string): Geofence | undefined => GEOFENCES.find((geofence) => geofence.id === id);

/** Great-circle distance, m. */
export function distanceM(a: { latitude: number; longitude: number }, b: { latitude: number; longitude: number }): number {
  const rad = (degrees: number): number => (degrees * Math.PI) / 180;
  const h =
    Math.sin(rad(b.latitude - a.latitude) / 2) ** 2 +
    Math.cos(rad(a.latitude)) * Math.cos(rad(b.latitude)) * Math.sin(rad(b.longitude - a.longitude) / 2) ** 2;
  return 2 * 6_371_000 * Math.asin(Math.sqrt(h));
}

/** The geofences `position` is inside of. */
export const geofencesAt = (position: { latitude: number; longitude: number }): string[] =>
  GEOFENCES.filter((geofence) => distanceM(position, geofence) <= geofence.radiusM).map((geofence) => geofence.id);

/**
 * `count` positions of `devices` from `seed`, `intervalMs` apart per device, ending at `until`: each
 * device drives a random walk from a start near one of the geofences, at speeds up to 130 km/h,
 * stopped at a fraction `stopped` of its positions.
 */
export function generatePositions(
  seed: string,
  devices: readonly Device[],
  count: number,
  until: number,
  intervalMs = 30_000,
  stopped = 0.15,
): Position[] {
  const next = random(seed);
  const perDevice = Math.ceil(count / devices.length);
  const positions: Position[] = [];
  for (const [index, device] of devices.entries()) {
    const home = GEOFENCES[index % GEOFENCES.length];
    let latitude = home.latitude + (next() - 0.5) * 0.06;
    let longitude = home.longitude + (next() - 0.5) * 0.06;
    for (let step = 0; step < perDevice && positions.length < count; step++) {
      const speedKmh = round(next() < stopped ? 0 : 20 + next() * 110, 1);
      const heading = next() * 2 * Math.PI;
      const degrees = ((speedKmh / 3600) * (intervalMs / 1000)) / 111;
      latitude += Math.cos(heading) * degrees;
      longitude += Math.sin(heading) * degrees;
      positions.push({
        deviceId: device.id,
        latitude: round(latitude, 6),
        longitude: round(longitude, 6),
        speedKmh,
        recordedAt: until - (perDevice - step) * intervalMs,
      });
    }
  }
  return positions;
}

/** What a day of positions of a device adds up to. */
export interface DaySummary {
  deviceId: string;
  date: string;
  positions: number;
  distanceKm: number;
  maxSpeedKmh: number;
  averageSpeedKmh: number;
  movingMinutes: number;
  speedingEvents: number;
}

/** Sums up `positions` (one device's, in time order). */
export function summarise(device: Device, date: string, positions: readonly Position[]): DaySummary {
  let distance = 0;
  let moving = 0;
  for (let index = 1; index < positions.length; index++) {
    distance += distanceM(positions[index - 1], positions[index]);
    if (positions[index].speedKmh > 0) moving += positions[index].recordedAt - positions[index - 1].recordedAt;
  }
  const speeds = positions.map((position) => position.speedKmh);
  return {
    deviceId: device.id,
    date,
    positions: positions.length,
    distanceKm: round(distance / 1000, 2),
    maxSpeedKmh: Math.max(0, ...speeds),
    averageSpeedKmh: round(speeds.reduce((sum, speed) => sum + speed, 0) / Math.max(1, speeds.length), 1),
    movingMinutes: Math.round(moving / 60_000),
    speedingEvents: speeds.filter((speed) => speed > device.speedLimitKmh).length,
  };
}

/** A device's positions of one day (`YYYY-MM-DD`), one every 10 minutes, stopped at two thirds of them (nights, deliveries). */
export const dayOfPositions = (device: Device, date: string): Position[] =>
  generatePositions(`${device.id}:${date}`, [device], 144, Date.parse(`${date}T23:59:59Z`), 600_000, 2 / 3);

/** The dates from `start` to `end` (`YYYY-MM-DD`, both included). */
export function datesBetween(start: string, end: string): string[] {
  const dates: string[] = [];
  for (let day = Date.parse(`${start}T00:00:00Z`); day <= Date.parse(`${end}T00:00:00Z`); day += 86_400_000) {
    dates.push(new Date(day).toISOString().slice(0, 10));
  }
  return dates;
}
