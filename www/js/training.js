// Training across animation frames. Each frame does units of the core's work —
// minibatch updates, and slices of each epoch's evaluation — until its time is up, so
// a pause or a click is answered within a frame whatever the network and the data.

/** A frame's time for training, in ms; the rest of the frame draws. */
const BUDGET = 10;

/** `NetworkLab.work()`'s answers. */
const STOPPED = 0;
const UPDATE = 1;
const UPDATE_ENDING_EPOCH = 2;
const EPOCH_RECORDED = 4;

/**
 * Drives `lab()` towards a goal: `play` (up to `speed()` updates a frame, until
 * paused), `update` (one update, and its epoch's evaluation if it ended one) or `epoch`
 * (to the end of the current epoch). `onFrame()` runs after each frame's work,
 * `onChange(running)` when training starts or stops.
 */
export function createTraining({ lab, speed, onFrame, onChange }) {
  let goal = null;
  let waiting = false; // an update ended an epoch, whose record `update` waits for
  let handle = 0;

  function tick() {
    handle = 0;
    const end = performance.now() + BUDGET;
    let updates = 0;
    while (goal && performance.now() < end) {
      if (goal === 'play' && updates >= speed()) break;
      const done = lab().work();
      if (done === STOPPED) goal = null;
      if (done === UPDATE || done === UPDATE_ENDING_EPOCH) updates++;
      if (goal === 'update') {
        if (done === UPDATE || (waiting && done === EPOCH_RECORDED)) goal = null;
        waiting ||= done === UPDATE_ENDING_EPOCH;
      }
      if (goal === 'epoch' && done === EPOCH_RECORDED) goal = null;
    }
    onFrame();
    if (goal) handle = requestAnimationFrame(tick);
    else onChange(false);
  }

  function run(next) {
    goal = next;
    waiting = false;
    if (goal && !handle) handle = requestAnimationFrame(tick);
    onChange(goal === 'play');
  }

  return {
    get playing() {
      return goal === 'play';
    },
    play: () => run('play'),
    toggle: () => run(goal === 'play' ? null : 'play'),
    update: () => run('update'),
    epoch: () => run('epoch'),
    stop() {
      cancelAnimationFrame(handle);
      handle = 0;
      run(null);
    },
  };
}
