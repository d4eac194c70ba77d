// Race mode's player: which iterate is shown, and play / pause / step / reset at a
// chosen speed. The animation loop lives here; the core never reads a clock.

export function createPlayer({ play, step, reset, frame, onFrame }) {
  let current = 0;
  let length = 1;
  let speed = 60; // iterates per second
  let playing = false;
  let last = null;
  let handle = 0;

  function show() {
    frame.textContent = `iterate ${Math.floor(current)} / ${length - 1}`;
    play.textContent = playing ? '❚❚ pause' : '▶ play';
    play.setAttribute('aria-pressed', String(playing));
    onFrame(Math.floor(current));
  }

  function tick(now) {
    if (!playing) return;
    if (last !== null) current = Math.min(length - 1, current + ((now - last) / 1000) * speed);
    last = now;
    if (current >= length - 1) playing = false;
    show();
    if (playing) handle = requestAnimationFrame(tick);
  }

  function setPlaying(on) {
    playing = on && length > 1;
    if (playing && current >= length - 1) current = 0;
    cancelAnimationFrame(handle);
    last = null;
    if (playing) handle = requestAnimationFrame(tick);
    show();
  }

  play.addEventListener('click', () => setPlaying(!playing));
  step.addEventListener('click', () => {
    setPlaying(false);
    current = Math.min(length - 1, Math.floor(current) + 1);
    show();
  });
  reset.addEventListener('click', () => {
    setPlaying(false);
    current = 0;
    show();
  });

  return {
    get frame() {
      return Math.floor(current);
    },
    get playing() {
      return playing;
    },
    /** The number of iterates of the longest path. */
    setLength(n) {
      length = Math.max(1, n);
      current = Math.min(current, length - 1);
      show();
    },
    setSpeed(iteratesPerSecond) {
      speed = iteratesPerSecond;
    },
    stop() {
      setPlaying(false);
    },
    back() {
      setPlaying(false);
      current = Math.max(0, Math.floor(current) - 1);
      show();
    },
  };
}
