/** A scenario (one video: objects, timed events, their sentences) and the state of its objects at any time t, shared by the sampler and the renderer. */
import {
  BACKGROUND_RGB,
  COLOUR_RGB,
  type Background,
  type Colour,
  type Direction,
  type RGB,
  type Shape,
} from "./vocabulary";

export type EventSpec =
  | { kind: "appear" }
  | { kind: "disappear" }
  /** distance: fraction of the frame width (left/right) or height (up/down) */
  | { kind: "move"; direction: Direction; distance: number }
  /** factor: final size / initial size */
  | { kind: "grow"; factor: number }
  | { kind: "shrink"; factor: number }
  /** turns: signed number of revolutions over the event */
  | { kind: "spin"; turns: number }
  | { kind: "blink"; hz: number }
  /** height: fraction of the frame height of each hop's top; hops: how many (it lands where it started) */
  | { kind: "bounce"; height: number; hops: number }
  /**
   * amplitude: fraction of the frame width of the peak sideways displacement; hz: oscillations
   * per second (it ends where it started: shakeOffset)
   */
  | { kind: "shake"; amplitude: number; hz: number }
  | { kind: "colour"; to: Colour }
  | { kind: "background"; to: Background };

/** An event placed in time; `object` is null for background changes. */
export type TimedEvent = EventSpec & { object: number | null; start: number; end: number };
export type SceneEvent = TimedEvent & { id: number; sentence: string };

export interface SceneObject {
  id: number;
  shape: Shape;
  /** colour at t = 0 (colour events change it) */
  colour: Colour;
  /** centre, as fractions of frame width / height */
  x: number;
  y: number;
  /** equal-area radius as a fraction of min(width, height) */
  size: number;
  /** radians */
  angle: number;
}

/** Per-video camera imperfections (datasets.md: mild noise, blur and camera shake). */
export interface SceneLook {
  /** std-dev of additive pixel noise, in 0–255 units (integer) */
  noise: number;
  /** edge softness in pixels at a 240-pixel-high frame; scales with the output size */
  blur: number;
  /** camera-shake amplitude as a fraction of min(width, height) (0 = steady) */
  shake: number;
  shakeHz: [number, number];
  shakePhase: [number, number, number, number];
}

export interface Scenario {
  seed: number;
  /** seconds; an exact multiple of 1/fps, equal to the rendered file's length */
  duration: number;
  /** suggested output frame rate and size (the renderer accepts any size) */
  fps: number;
  width: number;
  height: number;
  background: Background;
  objects: SceneObject[];
  /** sorted by start time */
  events: SceneEvent[];
  look: SceneLook;
}

// ---------------------------------------------------------------------------------------
// State at time t (shared by the sampler and the renderer)
// ---------------------------------------------------------------------------------------

export interface ObjectState {
  id: number;
  shape: Shape;
  x: number;
  y: number;
  size: number;
  angle: number;
  rgb: [number, number, number];
  /** 0 = invisible, 1 = opaque */
  alpha: number;
}

function lerpRgb(a: RGB, b: RGB, p: number): [number, number, number] {
  return [a[0] + (b[0] - a[0]) * p, a[1] + (b[1] - a[1]) * p, a[2] + (b[2] - a[2]) * p];
}

/** Events in time order (ties: by object). */
export const byStart = (a: { start: number; object: number | null }, b: { start: number; object: number | null }) =>
  a.start - b.start || (a.object ?? -1) - (b.object ?? -1);

/** Events of one object (or of the background for null), in time order. */
export function eventsOf<E extends TimedEvent>(events: readonly E[], object: number | null): E[] {
  return events.filter((e) => e.object === object).sort(byStart);
}

/** A scenario's events split by owner, each list in time order: what a renderer reads every frame. */
export interface EventsByOwner {
  own: { obj: SceneObject; events: TimedEvent[] }[];
  /** the background's own events */
  bg: TimedEvent[];
}

// Scenarios are treated as immutable once sampled; this only saves re-sorting the event lists
// on every frame (both renderers draw frame by frame from them).
const byOwner = new WeakMap<Scenario, EventsByOwner>();

/** `sc`'s events by owner (computed once per scenario object). */
export function eventsByOwner(sc: Scenario): EventsByOwner {
  let p = byOwner.get(sc);
  if (!p) {
    p = { own: sc.objects.map((obj) => ({ obj, events: eventsOf(sc.events, obj.id) })), bg: eventsOf(sc.events, null) };
    byOwner.set(sc, p);
  }
  return p;
}

/** Seconds a shake takes to swell to its full amplitude at the start, and to die down at the end. */
export const SHAKE_RAMP = 0.15;

/**
 * A shake's sideways offset (fraction of the frame width) `tau` seconds into an event of
 * `duration` seconds: a sine of `hz` under an envelope that rises smoothly (smoothstep) over the
 * first SHAKE_RAMP seconds and falls over the last, so the object leaves and comes back to
 * exactly where it was; never more than `amplitude` either way.
 */
export function shakeOffset(amplitude: number, hz: number, tau: number, duration: number): number {
  const ramp = Math.min(SHAKE_RAMP, duration / 2);
  const u = Math.max(0, Math.min(1, tau / ramp, (duration - tau) / ramp));
  return amplitude * u * u * (3 - 2 * u) * Math.sin(2 * Math.PI * hz * tau);
}

/** State of one object at time t given its own events in time order. */
export function objectStateAt(obj: SceneObject, own: readonly TimedEvent[], t: number): ObjectState {
  let x = obj.x;
  let y = obj.y;
  let size = obj.size;
  let angle = obj.angle;
  let rgb: [number, number, number] = [...COLOUR_RGB[obj.colour]];
  let alpha = own.some((e) => e.kind === "appear") ? 0 : 1;
  for (const e of own) {
    if (t < e.start) break;
    const p = t >= e.end ? 1 : (t - e.start) / (e.end - e.start);
    switch (e.kind) {
      case "appear":
        alpha = p;
        break;
      case "disappear":
        alpha = 1 - p;
        break;
      case "move": {
        const d = e.distance * p;
        if (e.direction === "left") x -= d;
        else if (e.direction === "right") x += d;
        else if (e.direction === "up") y -= d;
        else y += d;
        break;
      }
      case "grow":
      case "shrink":
        size *= 1 + (e.factor - 1) * p;
        break;
      case "spin":
        angle += e.turns * 2 * Math.PI * p;
        break;
      case "blink":
        // Square wave that starts "off", so the first visible change is at `start`.
        if (p < 1 && Math.floor((t - e.start) * e.hz * 2) % 2 === 0) alpha = 0;
        break;
      case "bounce":
        // Half-sine arcs: up and back to the start `hops` times, on the ground again at `end`.
        if (p < 1) y -= e.height * Math.abs(Math.sin(Math.PI * e.hops * p));
        break;
      case "shake":
        if (p < 1) x += shakeOffset(e.amplitude, e.hz, t - e.start, e.end - e.start);
        break;
      case "colour":
        rgb = lerpRgb(rgb, COLOUR_RGB[e.to], p);
        break;
      case "background":
        break;
    }
  }
  return { id: obj.id, shape: obj.shape, x, y, size, angle, rgb, alpha };
}

/** Background colour at time t given the background events in time order. */
export function backgroundAt(
  initial: Background,
  bgEvents: readonly TimedEvent[],
  t: number,
): [number, number, number] {
  let rgb: [number, number, number] = [...BACKGROUND_RGB[initial]];
  for (const e of bgEvents) {
    if (t < e.start || e.kind !== "background") break;
    const p = t >= e.end ? 1 : (t - e.start) / (e.end - e.start);
    rgb = lerpRgb(rgb, BACKGROUND_RGB[e.to], p);
  }
  return rgb;
}

/** The colour name of an object at time t (a change counts once it has finished). */
export function colourAt(obj: SceneObject, own: readonly TimedEvent[], t: number): Colour {
  let c = obj.colour;
  for (const e of own) if (e.kind === "colour" && e.end <= t) c = e.to;
  return c;
}

/** [first, last] instant at which the object is (at least partly) on screen. */
export function visibleInterval(own: readonly TimedEvent[], duration: number): [number, number] {
  const app = own.find((e) => e.kind === "appear");
  const dis = own.find((e) => e.kind === "disappear");
  return [app ? app.start : 0, dis ? dis.end : duration];
}

/** Objects on screen at some moment of [start, end] (used by the colour-omission rule). */
export function objectsVisibleDuring(
  sc: Pick<Scenario, "objects" | "events" | "duration">,
  start: number,
  end: number,
): SceneObject[] {
  return sc.objects.filter((o) => {
    const [a, b] = visibleInterval(eventsOf(sc.events, o.id), sc.duration);
    return a < end && b > start;
  });
}
