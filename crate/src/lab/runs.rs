//! Runs side by side: up to [`MOST_RUNS`] networks trained on the same data, split and
//! preprocessing, each with its own setup — another optimizer or η, schedule, init,
//! activation, batch size, λ, layers or seed — in lockstep: every run that trains makes
//! the same number of updates, so their curves compare epoch by epoch.
//!
//! The data comes from the first run: its dataset, distortion, normalization and
//! validation fraction, and the split its seed makes. Each run's own seed seeds its
//! initialization and the order of its minibatches. The first run is built exactly as
//! a lab alone, so one run has the same bits as before there were several.
//!
//! One run is *current*: the page's map, network and inspector show it.

pub mod label;

use super::network::NetworkLab;
use crate::config::{Error, Problem};
use crate::nn::setup::Setup;
use crate::nn::train::Work;
use serde::Serialize;

/// The most runs side by side.
pub const MOST_RUNS: usize = 6;

/// One run: its lab, whether it is paused, and what could not be used of its setup.
struct Run {
    lab: NetworkLab,
    paused: bool,
    problems: Vec<Problem>,
}

/// A setup problem of one run, numbered from 0 as the runs are.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RunProblem {
    pub run: usize,
    pub field: &'static str,
    pub message: String,
}

pub struct Runs {
    runs: Vec<Run>,
    current: usize,
}

impl Runs {
    /// Runs from `setups` (1 to [`MOST_RUNS`]), run `current` current. Each run's
    /// fields it cannot use are set back to their defaults as [`NetworkLab::open`]
    /// does; the data fields of the runs after the first are the first's. What was
    /// changed is listed in [`Runs::problems`].
    pub fn open(setups: &[Setup], current: usize) -> Result<Runs, Error> {
        if !(1..=MOST_RUNS).contains(&setups.len()) {
            return Err(Error::new(format!(
                "runs side by side are 1 to {MOST_RUNS}, not {}",
                setups.len()
            )));
        }
        check_index(current, setups.len())?;
        let first = NetworkLab::open(&setups[0]);
        let mut runs = vec![Run {
            problems: first.problems().to_vec(),
            lab: first,
            paused: false,
        }];
        for setup in &setups[1..] {
            let (setup, mut problems) = on_data_of(setup, runs[0].lab.setup());
            let lab = NetworkLab::open_on(&setup, &runs[0].lab)?;
            problems.extend_from_slice(lab.problems());
            runs.push(Run {
                lab,
                paused: false,
                problems,
            });
        }
        Ok(Runs { runs, current })
    }

    /// How many runs there are: at least one.
    pub fn count(&self) -> usize {
        self.runs.len()
    }

    /// Which run is current, from 0.
    pub fn current_index(&self) -> usize {
        self.current
    }

    /// The run the page's views show.
    pub fn current(&self) -> &NetworkLab {
        &self.runs[self.current].lab
    }

    pub fn current_mut(&mut self) -> &mut NetworkLab {
        &mut self.runs[self.current].lab
    }

    /// Every run's lab, in order.
    pub fn labs(&self) -> impl Iterator<Item = &NetworkLab> {
        self.runs.iter().map(|r| &r.lab)
    }

    /// Run `index`'s lab.
    pub fn lab(&self, index: usize) -> Result<&NetworkLab, Error> {
        check_index(index, self.count())?;
        Ok(&self.runs[index].lab)
    }

    pub fn paused(&self, index: usize) -> Result<bool, Error> {
        check_index(index, self.count())?;
        Ok(self.runs[index].paused)
    }

    /// Run `index` makes the current one.
    pub fn set_current(&mut self, index: usize) -> Result<(), Error> {
        check_index(index, self.count())?;
        self.current = index;
        Ok(())
    }

    /// Pauses run `index` (its weights stay as they are while the others train), or
    /// lets it train again.
    pub fn set_paused(&mut self, index: usize, paused: bool) -> Result<(), Error> {
        check_index(index, self.count())?;
        self.runs[index].paused = paused;
        Ok(())
    }

    /// Removes run `index`, never the last one. The current run stays current; if it
    /// was the one removed, the run before it (or the new first) is.
    pub fn remove(&mut self, index: usize) -> Result<(), Error> {
        check_index(index, self.count())?;
        if self.count() == 1 {
            return Err(Error::new("the last run cannot be removed"));
        }
        self.runs.remove(index);
        if index < self.current || (index == self.current && index > 0) {
            self.current -= 1;
        }
        Ok(())
    }

    /// Whether run `index` makes updates: not paused, not stopped.
    fn trains(&self, index: usize) -> bool {
        let run = &self.runs[index];
        !run.paused && run.lab.trainer().stopped.is_none()
    }

    /// `updates` minibatch updates of every run that trains, each epoch evaluated as
    /// it ends: how many epochs each run ended (0 for the others).
    pub fn train(&mut self, updates: usize) -> Vec<usize> {
        (0..self.count())
            .map(|i| {
                if self.trains(i) {
                    self.runs[i].lab.train(updates)
                } else {
                    0
                }
            })
            .collect()
    }

    /// One step of the lockstep, small whatever the data, for the page's frames:
    /// while a run's end-of-epoch evaluation is unfinished, a slice of it for each such
    /// run (paused ones too: an evaluation changes no weight), and the others wait —
    /// [`Work::Evaluated`], `recorded` once every such epoch is in its history;
    /// otherwise one minibatch update of every run that trains — [`Work::Updated`],
    /// `epoch_done` when it ended an epoch of any of them; [`Work::Stopped`] when every
    /// run is paused or stopped.
    pub fn work(&mut self) -> Work {
        let mut evaluated = false;
        let mut recorded = true;
        for run in self
            .runs
            .iter_mut()
            .filter(|r| r.lab.trainer().evaluating())
        {
            evaluated = true;
            recorded &= run.lab.work() == Work::Evaluated { recorded: true };
        }
        if evaluated {
            return Work::Evaluated { recorded };
        }
        let mut updated = false;
        let mut epoch_done = false;
        for i in 0..self.count() {
            if !self.trains(i) {
                continue;
            }
            // A run with no training point has nothing to update.
            if let Work::Updated { epoch_done: ended } = self.runs[i].lab.work() {
                updated = true;
                epoch_done |= ended;
            }
        }
        if updated {
            Work::Updated { epoch_done }
        } else {
            Work::Stopped
        }
    }

    /// Adds a training point to every run's data (see [`NetworkLab::add_point`]): the
    /// runs share their data, so a point refused by the first is refused by all.
    pub fn add_point(&mut self, x: f64, y: f64, class: usize) -> Result<(), Error> {
        self.runs
            .iter_mut()
            .try_for_each(|run| run.lab.add_point(x, y, class))
    }

    /// Points of one's own from CSV text in place of every run's data (see
    /// [`NetworkLab::load_csv`]): the first run loads them, and every other run starts
    /// again on the first's points, split and preprocessing, with its own init and
    /// order. The settings that did not fit the data, run by run; on an error nothing
    /// changes.
    pub fn load_csv(&mut self, text: &str) -> Result<Vec<RunProblem>, Error> {
        let (first, repairs) = NetworkLab::of_csv(self.runs[0].lab.setup(), text)?;
        let mut others = Vec::with_capacity(self.runs.len() - 1);
        for run in &self.runs[1..] {
            let (setup, _) = on_data_of(run.lab.setup(), first.setup());
            let lab = NetworkLab::open_on(&setup, &first)?;
            others.push((lab.problems().to_vec(), lab));
        }
        let mut met: Vec<RunProblem> = repairs.iter().map(|p| RunProblem::of(0, p)).collect();
        self.runs[0].problems.extend(repairs);
        self.runs[0].lab = first;
        for (i, (problems, lab)) in others.into_iter().enumerate() {
            met.extend(problems.iter().map(|p| RunProblem::of(i + 1, p)));
            self.runs[i + 1].problems.extend(problems);
            self.runs[i + 1].lab = lab;
        }
        Ok(met)
    }

    /// Removes data point `index` from every run's data (see
    /// [`NetworkLab::remove_point`]): the runs share their data, so they number it alike.
    pub fn remove_point(&mut self, index: usize) -> Result<(), Error> {
        self.runs
            .iter_mut()
            .try_for_each(|run| run.lab.remove_point(index))
    }

    /// Removes every point from every run's data (see [`NetworkLab::clear_points`]).
    pub fn clear_points(&mut self) -> Result<(), Error> {
        self.runs
            .iter_mut()
            .try_for_each(|run| run.lab.clear_points())
    }

    /// Each run's label for the legend (see [`label::labels`]).
    pub fn labels(&self) -> Vec<String> {
        let setups: Vec<Setup> = self.labs().map(|lab| lab.setup().clone()).collect();
        label::labels(&setups)
    }

    /// What could not be used of the current run's setup.
    pub fn current_problems(&self) -> &[Problem] {
        &self.runs[self.current].problems
    }

    /// What could not be used of each run's setup, run by run.
    pub fn problems(&self) -> Vec<RunProblem> {
        self.runs
            .iter()
            .enumerate()
            .flat_map(|(run, r)| r.problems.iter().map(move |p| RunProblem::of(run, p)))
            .collect()
    }
}

impl RunProblem {
    fn of(run: usize, problem: &Problem) -> RunProblem {
        RunProblem {
            run,
            field: problem.field,
            message: problem.message.clone(),
        }
    }
}

/// An error unless `index` numbers one of `count` runs.
fn check_index(index: usize, count: usize) -> Result<(), Error> {
    if index < count {
        Ok(())
    } else {
        Err(Error::new(format!(
            "there is no run {index}: the runs are numbered 0 to {}",
            count.saturating_sub(1)
        )))
    }
}

/// `setup` with `first`'s data fields — dataset, distort, normalize, validation — and
/// a problem for each that differed.
fn on_data_of(setup: &Setup, first: &Setup) -> (Setup, Vec<Problem>) {
    let shared = Setup {
        dataset: first.dataset.clone(),
        distort: first.distort.clone(),
        normalize: first.normalize.clone(),
        validation: first.validation,
        ..setup.clone()
    };
    let differs = [
        ("dataset", setup.dataset != first.dataset),
        ("distort", setup.distort != first.distort),
        ("normalize", setup.normalize != first.normalize),
        ("validation", setup.validation != first.validation),
    ];
    let problems = differs
        .into_iter()
        .filter(|(_, differs)| *differs)
        .map(|(field, _)| {
            Problem::new(
                field,
                format!(
                    "runs side by side train on the first run's data: {field} is the first run's"
                ),
            )
        })
        .collect();
    (shared, problems)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn setup(json: &str) -> Setup {
        serde_json::from_str(json).unwrap()
    }

    fn open(jsons: &[&str]) -> Runs {
        let setups: Vec<Setup> = jsons.iter().map(|j| setup(j)).collect();
        Runs::open(&setups, 0).unwrap()
    }

    /// Lockstep steps until every run that trains has made `updates` more updates.
    fn work_updates(runs: &mut Runs, updates: usize) {
        let mut done = 0;
        while done < updates {
            match runs.work() {
                Work::Updated { .. } => done += 1,
                Work::Evaluated { .. } => {}
                Work::Stopped => panic!("stopped"),
            }
        }
        while runs.labs().any(|l| l.trainer().evaluating()) {
            runs.work();
        }
    }

    const SMALL: &str = r#"{"dataset": "moons:n=60", "hidden": [5], "batch": 7}"#;

    #[test]
    fn identical_runs_in_lockstep_keep_identical_bits_and_those_of_a_lab_alone() {
        let mut runs = open(&[SMALL; 3]);
        work_updates(&mut runs, 40);
        let mut alone = NetworkLab::open(&setup(SMALL));
        alone.train(40);
        for lab in runs.labs() {
            let t = lab.trainer();
            assert_eq!(t.updates, 40);
            assert!(t.epoch >= 5, "{}", t.epoch);
            assert_eq!(t.theta, alone.trainer().theta);
            assert_eq!(t.history, alone.trainer().history);
        }
        // `train` makes the same updates as the frames' `work`.
        let mut trained = open(&[SMALL; 3]);
        assert_eq!(trained.train(40), [5, 5, 5]);
        for (a, b) in trained.labs().zip(runs.labs()) {
            assert_eq!(a.trainer().theta, b.trainer().theta);
            assert_eq!(a.trainer().history, b.trainer().history);
        }
    }

    #[test]
    fn a_run_differing_only_in_seed_differs_on_the_same_split() {
        let other = r#"{"dataset": "moons:n=60", "hidden": [5], "batch": 7, "seed": 3}"#;
        let mut runs = open(&[SMALL, other]);
        let [first, second] = [runs.lab(0).unwrap(), runs.lab(1).unwrap()];
        assert_eq!(first.split(), second.split());
        assert_eq!(first.trainer().data, second.trainer().data);
        assert_ne!(first.trainer().theta, second.trainer().theta);
        runs.train(20);
        let [first, second] = [runs.lab(0).unwrap(), runs.lab(1).unwrap()];
        assert_ne!(first.trainer().theta, second.trainer().theta);
        assert_eq!(first.trainer().data, second.trainer().data);
        // A lab alone with that seed splits the data otherwise.
        let alone = NetworkLab::open(&setup(other));
        assert_ne!(alone.split(), first.split());
        // The second run's initialization and order are its seed's all the same.
        let mut on_first_split = NetworkLab::open_on(&setup(other), first).unwrap();
        on_first_split.train(20);
        assert_eq!(on_first_split.trainer().theta, second.trainer().theta);
        assert_eq!(runs.labels(), ["Adam, η = 0.01; seed 0", "seed 3"]);
    }

    #[test]
    fn the_data_is_the_first_run_s_and_a_point_joins_every_run() {
        let setups = [
            setup(r#"{"dataset": "xor:n=40", "hidden": [3]}"#),
            setup(r#"{"dataset": "circles", "validation": 0.3, "l2": 99, "hidden": [4]}"#),
        ];
        let mut runs = Runs::open(&setups, 1).unwrap();
        assert_eq!(runs.current_index(), 1);
        let second = runs.current().setup();
        assert_eq!(second.dataset, setups[0].dataset);
        assert_eq!(
            (second.validation, second.l2, &second.hidden),
            (0.2, 0.0, &vec![4])
        );
        let problems: Vec<(usize, &str)> =
            runs.problems().iter().map(|p| (p.run, p.field)).collect();
        assert_eq!(problems, [(1, "dataset"), (1, "validation"), (1, "l2")]);
        assert!(runs.problems()[0].message.contains("first run's data"));
        let current: Vec<&str> = runs.current_problems().iter().map(|p| p.field).collect();
        assert_eq!(current, ["dataset", "validation", "l2"]);
        runs.set_current(0).unwrap();
        assert_eq!(runs.current_problems(), []);
        runs.set_current(1).unwrap();
        runs.add_point(0.5, 0.5, 1).unwrap();
        for lab in runs.labs() {
            assert_eq!(lab.status().train, 33);
            assert_eq!(lab.points()[32].at, (0.5, 0.5));
        }
        assert!(runs.add_point(0.5, 0.5, 7).is_err());
        assert!(runs.labs().all(|lab| lab.status().train == 33));
    }

    #[test]
    fn a_paused_run_keeps_its_weights_while_the_others_train() {
        let mut runs = open(&[SMALL; 3]);
        runs.set_paused(1, true).unwrap();
        let before = runs.lab(1).unwrap().trainer().theta.clone();
        work_updates(&mut runs, 25);
        let updates: Vec<usize> = runs.labs().map(|l| l.trainer().updates).collect();
        assert_eq!(updates, [25, 0, 25]);
        assert_eq!(runs.lab(1).unwrap().trainer().theta, before);
        assert_eq!(runs.train(5), [1, 0, 1]);
        runs.set_paused(1, false).unwrap();
        assert!(!runs.paused(1).unwrap());
        runs.train(3);
        let updates: Vec<usize> = runs.labs().map(|l| l.trainer().updates).collect();
        assert_eq!(updates, [33, 3, 33]);
        // With every run paused there is nothing to do.
        (0..3).for_each(|i| runs.set_paused(i, true).unwrap());
        assert_eq!(runs.work(), Work::Stopped);
    }

    #[test]
    fn an_epoch_s_evaluation_holds_the_others_back_until_every_run_has_recorded_it() {
        // Batches of 7 and 12 over 48 training points: epochs of 7 and 4 updates.
        let mut runs = open(&[
            SMALL,
            r#"{"dataset": "moons:n=60", "hidden": [5], "batch": 12}"#,
        ]);
        let mut seen = Vec::new();
        while runs.lab(0).unwrap().trainer().epoch < 1 {
            seen.push(runs.work());
        }
        let updates = |runs: &Runs| runs.labs().map(|l| l.trainer().updates).collect::<Vec<_>>();
        // After whatever the trainers evaluate before their first update, the second
        // run's epoch ends at its 4th update and is evaluated, its training points then
        // its validation points, before either run's 5th.
        let first = seen
            .iter()
            .position(|w| matches!(w, Work::Updated { .. }))
            .unwrap();
        assert!(seen[..first]
            .iter()
            .all(|w| matches!(w, Work::Evaluated { .. })));
        let seen = &seen[first..];
        assert_eq!(seen[3], Work::Updated { epoch_done: true });
        assert_eq!(seen[4], Work::Evaluated { recorded: false });
        assert_eq!(seen[5], Work::Evaluated { recorded: true });
        assert_eq!(seen[6], Work::Updated { epoch_done: false });
        assert_eq!(seen.last(), Some(&Work::Evaluated { recorded: true }));
        assert_eq!(updates(&runs), [7, 7]);
        assert_eq!(runs.lab(1).unwrap().trainer().epoch, 1);
    }

    #[test]
    fn removing_keeps_the_current_run_and_bad_numbers_are_errors() {
        let six: Vec<Setup> = (0..6)
            .map(|seed| Setup {
                seed,
                hidden: vec![2],
                ..Setup::default()
            })
            .collect();
        let mut runs = Runs::open(&six, 4).unwrap();
        let seed = |runs: &Runs| runs.current().setup().seed;
        runs.remove(1).unwrap();
        assert_eq!((runs.count(), runs.current_index(), seed(&runs)), (5, 3, 4));
        runs.remove(3).unwrap();
        assert_eq!((runs.current_index(), seed(&runs)), (2, 3));
        runs.remove(3).unwrap();
        assert_eq!((runs.current_index(), seed(&runs)), (2, 3));
        assert_eq!(
            runs.remove(3).unwrap_err().0,
            "there is no run 3: the runs are numbered 0 to 2"
        );
        assert!(runs.set_current(3).is_err() && runs.set_paused(9, true).is_err());
        assert!(runs.lab(3).is_err() && runs.paused(3).is_err());
        runs.remove(0).unwrap();
        runs.remove(0).unwrap();
        assert_eq!(
            runs.remove(0).unwrap_err().0,
            "the last run cannot be removed"
        );
        assert_eq!(seed(&runs), 3);
        let seven = [six.clone(), vec![Setup::default()]].concat();
        let refused =
            |setups: &[Setup], current: usize| Runs::open(setups, current).err().map(|e| e.0);
        assert_eq!(
            refused(&seven, 0).as_deref(),
            Some("runs side by side are 1 to 6, not 7")
        );
        assert!(refused(&[], 0).is_some());
        assert!(refused(&six[..2], 2).is_some());
    }

    /// A call on the runs, with numbers that may be out of range.
    #[derive(Clone, Debug)]
    enum Call {
        Remove(usize),
        Pause(usize, bool),
        Current(usize),
        Work(usize),
        Train(usize),
    }

    fn call() -> impl Strategy<Value = Call> {
        prop_oneof![
            (0usize..8).prop_map(Call::Remove),
            (0usize..8, any::<bool>()).prop_map(|(i, p)| Call::Pause(i, p)),
            (0usize..8).prop_map(Call::Current),
            (0usize..20).prop_map(Call::Work),
            (0usize..20).prop_map(Call::Train),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn no_sequence_of_calls_panics_or_loses_the_current_run(
            count in 1usize..=MOST_RUNS,
            calls in prop::collection::vec(call(), 0..24),
        ) {
            let setups: Vec<Setup> = (0..count as u64)
                .map(|seed| Setup { seed, hidden: vec![2], dataset: crate::Spec::parse("xor:n=20").unwrap(), ..Setup::default() })
                .collect();
            let mut runs = Runs::open(&setups, count - 1).unwrap();
            for call in calls {
                let before = runs.count();
                let result = match call {
                    Call::Remove(i) => runs.remove(i),
                    Call::Pause(i, p) => runs.set_paused(i, p),
                    Call::Current(i) => runs.set_current(i),
                    Call::Work(n) => {
                        (0..n).for_each(|_| { runs.work(); });
                        Ok(())
                    }
                    Call::Train(n) => {
                        prop_assert_eq!(runs.train(n).len(), before);
                        Ok(())
                    }
                };
                let index = match call {
                    Call::Remove(i) | Call::Pause(i, _) | Call::Current(i) => Some(i),
                    _ => None,
                };
                let allowed = index.is_none_or(|i| i < before)
                    && !matches!(call, Call::Remove(_) if before == 1);
                prop_assert_eq!(result.is_ok(), allowed, "{:?}", call);
                prop_assert!((1..=MOST_RUNS).contains(&runs.count()));
                prop_assert!(runs.current_index() < runs.count());
                prop_assert_eq!(runs.labels().len(), runs.count());
            }
        }
    }
}
