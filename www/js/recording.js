// The race as media for slide decks: an animated GIF, an MP4 (H.264, which PowerPoint
// and Keynote play) and a WebM. Every frame is the figure as exported pictures draw it
// (background, paths up to the iterate, legend), composed by `composer.draw(upto)`. The
// page imports this module on its first export of a picture or a race.
//
// GIF and MP4 are made frame by frame, not in real time: each frame is drawn, then
// encoded (the GIF by the core, the MP4 by the browser's WebCodecs and muxed by the
// core), so the file holds every frame whatever the machine's load. Their encoders, and
// what writes a WebM's duration, live in a media module of the core that is fetched only
// when someone exports.
// WebM is recorded live with MediaRecorder, where WebCodecs is missing too.

/** How long the last frame of a video stays, so that the race's end can be read. */
const HOLD_SECONDS = 1;

let media = null;
/** The core's media module, fetched and compiled on first use. */
async function loadMedia() {
  if (!media) {
    media = import('../pkg/media/gradscape.js').then(async (module) => {
      await module.default();
      return module;
    });
  }
  return media;
}

const nextFrame = () => new Promise((resolve) => requestAnimationFrame(resolve));

/**
 * A canvas of `size` [width, height] device pixels on which `draw(upto)` composes the
 * figure at iterate `upto` with `paint(canvas, upto)`, over white.
 */
export function frameComposer([width, height], paint) {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d', { willReadFrequently: true });
  return {
    canvas,
    context,
    draw(upto) {
      context.fillStyle = '#fff';
      context.fillRect(0, 0, width, height);
      paint(canvas, upto);
    },
  };
}

/**
 * The iterate each frame shows when a race of `length` iterates plays at `speed`
 * iterates per second as `fps` frames per second (the player's own clock), then the
 * last iterate held for HOLD_SECONDS.
 */
function raceFrames(length, speed, fps) {
  const last = Math.max(0, length - 1);
  const frames = [];
  for (let i = 0; ; i += 1) {
    const upto = Math.min(last, Math.floor((i * speed) / fps));
    frames.push(upto);
    if (upto === last) break;
  }
  for (let i = 1; i < HOLD_SECONDS * fps; i += 1) frames.push(last);
  return frames;
}

/** Calls `work(i)` for each of `count` items, yielding to the page every few ms. */
async function inSlices(count, work, onProgress) {
  let sliceStart = performance.now();
  for (let i = 0; i < count; i += 1) {
    await work(i);
    if (performance.now() - sliceStart > 12) {
      onProgress(i / count);
      await nextFrame();
      sliceStart = performance.now();
    }
  }
}

/** GIF players show a delay under 2 hundredths of a second as 10: at most 50 frames a second. */
const GIF_MAX_FPS = 50;

/**
 * The race as a looping GIF at the player's `speed`: ⌈speed / 50⌉ iterates a frame,
 * each shown as long as they take (the core's `gif_timing`), the finished race held a
 * second by the recorder; one palette made for the map, and frames after the first
 * hold only what changed.
 */
export async function makeGif(composer, { length, speed, onProgress }) {
  const core = await loadMedia();
  const timing = core.gif_timing(Math.min(1000, Math.max(1, speed)), GIF_MAX_FPS);
  const [perFrame, delay] = [timing.iterates_per_frame, timing.delay_cs];
  timing.free();
  const last = Math.max(0, length - 1);
  const frames = Array.from({ length: Math.ceil(last / perFrame) + 1 }, (_, i) => Math.min(last, i * perFrame));
  const { width, height } = composer.canvas;
  const gif = new core.GifRecorder(width, height, delay);
  try {
    await inSlices(frames.length, (i) => {
      composer.draw(frames[i]);
      gif.frame(new Uint8Array(composer.context.getImageData(0, 0, width, height).data.buffer));
    }, onProgress);
    return new Blob([gif.finish()], { type: 'image/gif' });
  } finally {
    gif.free();
  }
}

/** H.264 profiles and levels, smallest first: a level bounds the frame size. */
const AVC_CODECS = ['avc1.42001f', 'avc1.420028', 'avc1.420033', 'avc1.640033'];
const MP4_FPS = 30;

/** An H.264 configuration this browser encodes for a `width` × `height` video, or null. */
async function avcConfig(width, height) {
  if (typeof VideoEncoder === 'undefined') return null;
  for (const codec of AVC_CODECS) {
    const config = {
      codec, width, height, framerate: MP4_FPS, bitrate: Math.round(width * height * MP4_FPS * 0.15),
      avc: { format: 'annexb' },
    };
    try {
      if ((await VideoEncoder.isConfigSupported(config)).supported) return config;
    } catch {
      // a codec string this browser does not know: try the next
    }
  }
  return null;
}

/** Whether this browser can encode a `width` × `height` race as MP4 (H.264 through WebCodecs). */
export async function canMakeMp4(width, height) {
  return (await avcConfig(width, height)) !== null;
}

/**
 * The race as MP4 at 30 frames per second: each frame encoded by WebCodecs (H.264,
 * Annex B), muxed by the core (moov first, so it plays as soon as it opens). The size
 * is even (H.264 counts 2×2 blocks): the composer's canvas must be.
 */
export async function makeMp4(composer, { length, speed, onProgress }) {
  const { width, height } = composer.canvas;
  const config = await avcConfig(width, height);
  if (!config) throw new Error('this browser cannot encode H.264 video; use WebM');
  const core = await loadMedia();
  const muxer = new core.Mp4Recorder(width, height, MP4_FPS);
  let failure = null;
  const encoder = new VideoEncoder({
    output(chunk) {
      const data = new Uint8Array(chunk.byteLength);
      chunk.copyTo(data);
      try {
        muxer.chunk(data, chunk.timestamp, chunk.type === 'key');
      } catch (error) {
        failure ??= error;
      }
    },
    error: (error) => (failure ??= error),
  });
  try {
    encoder.configure(config);
    const frames = raceFrames(length, speed, MP4_FPS);
    await inSlices(frames.length, async (i) => {
      if (failure) throw failure;
      composer.draw(frames[i]);
      const frame = new VideoFrame(composer.canvas, {
        timestamp: Math.round((i * 1e6) / MP4_FPS),
        duration: Math.round(1e6 / MP4_FPS),
      });
      encoder.encode(frame, { keyFrame: i % (2 * MP4_FPS) === 0 });
      frame.close();
      // Back-pressure: never queue more than a few frames in the encoder.
      while (encoder.encodeQueueSize > 4) {
        await new Promise((resolve) => encoder.addEventListener('dequeue', resolve, { once: true }));
      }
    }, onProgress);
    await encoder.flush();
    if (failure) throw failure;
    return new Blob([muxer.finish()], { type: 'video/mp4' });
  } finally {
    if (encoder.state !== 'closed') encoder.close();
    muxer.free();
  }
}

/**
 * Records the race live as WebM with MediaRecorder. The canvas stream takes a frame only
 * when `frame(upto)` asks for one, and the race starts once the recorder says it has
 * started, so no frame is lost to a recorder still starting up. `finish(upto)` holds the
 * last frame for HOLD_SECONDS (the encoder receives it, a viewer reads it), stops, and
 * resolves the file, its duration written in by the media module.
 */
export async function recordWebm(composer) {
  if (typeof MediaRecorder === 'undefined') throw new Error('this browser cannot record video');
  const core = loadMedia(); // fetched while the race plays
  const stream = composer.canvas.captureStream(0);
  const [track] = stream.getVideoTracks();
  const type = ['video/webm;codecs=vp9', 'video/webm;codecs=vp8', 'video/webm'].find((t) =>
    MediaRecorder.isTypeSupported(t));
  const recorder = new MediaRecorder(stream, type ? { mimeType: type } : {});
  const chunks = [];
  recorder.addEventListener('dataavailable', (event) => event.data.size && chunks.push(event.data));
  const started = new Promise((resolve) => recorder.addEventListener('start', resolve, { once: true }));
  const stopped = new Promise((resolve) => recorder.addEventListener('stop', resolve, { once: true }));
  const frame = (upto) => {
    composer.draw(upto);
    track.requestFrame();
  };
  recorder.start(250);
  frame(0); // Chromium starts the recording with the track's first frame
  await started;
  const since = performance.now();
  frame(0);
  return {
    frame,
    async finish(upto) {
      for (let i = 0; i < HOLD_SECONDS * 10; i += 1) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        frame(upto);
      }
      recorder.stop();
      await stopped;
      track.stop();
      const bytes = new Uint8Array(await new Blob(chunks).arrayBuffer());
      if (bytes.length === 0) throw new Error('the browser recorded no frame of the race; record it again');
      const milliseconds = performance.now() - since;
      return new Blob([(await core).webm_with_duration(bytes, milliseconds)], { type: 'video/webm' });
    },
    cancel() {
      if (recorder.state !== 'inactive') recorder.stop();
      track.stop();
    },
  };
}

/**
 * The export buttons' work for the race, one file at a time, its progress in `status`:
 * `start(format, composer, {length, speed})` makes a GIF or MP4 at once, or for WebM
 * switches to the race (`toRace()`), records while `player` plays it (the page calls
 * `frame(upto)` after each drawn frame) and saves it when `ended(upto)` is called.
 */
export function raceExporter({ status, player, toRace, download, onError }) {
  let busy = false;
  let live = null;
  const show = (text) => {
    status.hidden = !text;
    status.textContent = text ?? '';
  };
  const done = () => {
    busy = false;
    live = null;
    show(null);
  };
  const makers = { gif: ['GIF', makeGif], mp4: ['MP4', makeMp4] };
  return {
    frame: (upto) => live?.frame(upto),
    async start(asked, composer, race) {
      if (busy) return;
      busy = true;
      try {
        // Without H.264 in WebCodecs (an older Firefox), the video is a WebM.
        const { width, height } = composer.canvas;
        const fallback = asked === 'mp4' && !(await canMakeMp4(width, height));
        const format = fallback ? 'webm' : asked;
        if (format === 'webm') {
          toRace();
          player.reset();
          show(fallback ? '● recording the race as WebM: this browser cannot make MP4' : '● recording the race');
          live = await recordWebm(composer);
          player.play();
          return;
        }
        const [name, make] = makers[format];
        const progress = (fraction) => show(`making the ${name}… ${Math.round(fraction * 100)}%`);
        progress(0);
        download(`gradscape-race.${format}`, await make(composer, { ...race, onProgress: progress }));
        done();
      } catch (error) {
        live?.cancel();
        done();
        onError(error.message);
      }
    },
    async ended(upto) {
      if (!live) return;
      const recorder = live;
      live = null; // the hold draws the last frame itself
      try {
        download('gradscape-race.webm', await recorder.finish(upto));
      } catch (error) {
        onError(error.message);
      }
      done();
    },
  };
}
