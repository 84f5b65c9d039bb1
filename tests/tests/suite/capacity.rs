//! Capacity through the typed API: changing provisioned throughput, billing mode and
//! per-index throughput, DynamoDB's limits on that, and (MemoryBackend, opt-in) provisioned
//! throughput enforced on a manual clock, and auto scaling simulated on it.

use std::time::{Duration, SystemTime};

use notes_repo::request::{BillingMode, ProvisionedThroughput};
use notes_repo::{
    AutoScaling, Backend, Capacity, Error, Item, ManualClock, MemoryBackend, Note, Repo,
    TableScaling,
};

use crate::indexes::Task;

notes_tests::on_every_backend!(
    lagging:
    update_throughput_sets_the_units_and_is_idempotent,
    set_billing_mode_switches_both_ways,
    update_throughput_of_an_on_demand_table_is_refused,
    ;
    memory_only:
    update_throughput_covers_every_global_index,
);

const NOTES_TABLE: BillingMode = BillingMode::Provisioned {
    read_capacity_units: 5,
    write_capacity_units: 5,
};

async fn provisioned_repo<B: Backend>(backend: B, table: &str) -> Repo<Note, B> {
    let repo = Repo::with_table(backend, table.to_owned());
    repo.ensure_table(NOTES_TABLE).await.unwrap();
    repo
}

async fn update_throughput_sets_the_units_and_is_idempotent<B: Backend>(backend: B, table: &str) {
    let repo = provisioned_repo(backend, table).await;
    let table = repo.update_throughput(10, 40).await.unwrap();
    assert_eq!(
        table.provisioned_throughput(),
        Some(ProvisionedThroughput::new(10, 40))
    );
    // Already so: nothing is sent (DynamoDB would refuse "will not change").
    let again = repo.update_throughput(10, 40).await.unwrap();
    assert_eq!(again.billing_mode, table.billing_mode);
    let err = repo.update_throughput(0, 40).await.unwrap_err();
    assert!(matches!(err, Error::Validation { .. }), "{err:?}");
}

async fn set_billing_mode_switches_both_ways<B: Backend>(backend: B, table: &str) {
    let repo = provisioned_repo(backend, table).await;
    let table = repo
        .set_billing_mode(BillingMode::PayPerRequest)
        .await
        .unwrap();
    assert_eq!(table.billing_mode, Some(BillingMode::PayPerRequest));
    assert_eq!(table.provisioned_throughput(), None);
    let again = repo
        .set_billing_mode(BillingMode::PayPerRequest)
        .await
        .unwrap();
    assert_eq!(again.billing_mode, Some(BillingMode::PayPerRequest));
    let table = repo.set_billing_mode(NOTES_TABLE).await.unwrap();
    assert_eq!(table.billing_mode, Some(NOTES_TABLE));
}

async fn update_throughput_of_an_on_demand_table_is_refused<B: Backend>(backend: B, table: &str) {
    let repo: Repo<Note, B> = notes_tests::repo(backend, table).await;
    let err = repo.update_throughput(5, 5).await.unwrap_err();
    let Error::Validation { message, source } = err else {
        panic!("expected Validation, got {err:?}");
    };
    assert!(source.is_none(), "refused before sending");
    assert!(
        message.starts_with(
            "One or more parameter values were invalid: Neither ReadCapacityUnits nor \
             WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST"
        ),
        "{message}"
    );
}

// MemoryBackend only: dynoxide 3.2.0 keeps a global index's creation units through updates.
async fn update_throughput_covers_every_global_index<B: Backend>(backend: B, table: &str) {
    let tasks: Repo<Task, B> = Repo::with_table(backend, table.to_owned());
    tasks.ensure_table(NOTES_TABLE).await.unwrap();
    let table = tasks.update_throughput(8, 9).await.unwrap();
    let units = ProvisionedThroughput::new(8, 9);
    assert_eq!(
        table.index_throughput,
        [
            ("byAssignee".to_owned(), units),
            ("byStatus".to_owned(), units)
        ]
        .into()
    );
    let table = tasks
        .update_index_throughput(&Task::BY_STATUS, 30, 9)
        .await
        .unwrap();
    assert_eq!(
        table.index_throughput["byStatus"],
        ProvisionedThroughput::new(30, 9)
    );
    assert_eq!(table.index_throughput["byAssignee"], units);
    // Back on demand: no index units; and provisioned again gives every index the units.
    let table = tasks
        .set_billing_mode(BillingMode::PayPerRequest)
        .await
        .unwrap();
    assert!(table.index_throughput.is_empty());
    let table = tasks.set_billing_mode(NOTES_TABLE).await.unwrap();
    assert_eq!(table.index_throughput.len(), 2);
}

/// The fifth decrease within an hour of the fourth, on one UTC day, is `LimitExceeded`; an
/// hour later it goes through (MemoryBackend on a manual clock; dynoxide has no such limit).
#[tokio::test]
async fn a_fifth_decrease_waits_an_hour() {
    let clock = ManualClock::new(SystemTime::UNIX_EPOCH + Duration::from_secs(20_782 * 86_400));
    let backend = MemoryBackend::builder().clock(clock.clone()).build();
    let repo = provisioned_repo(backend, "notes").await;
    repo.update_throughput(100, 100).await.unwrap();
    for read in [90, 80, 70, 60] {
        repo.update_throughput(read, 100).await.unwrap();
    }
    let err = repo.update_throughput(50, 100).await.unwrap_err();
    assert!(
        matches!(&err, Error::LimitExceeded { table, .. } if table == "notes"),
        "{err:?}"
    );
    clock.advance(Duration::from_secs(3600));
    repo.update_throughput(50, 100).await.unwrap();
}

/// A 5/5 notes table on a MemoryBackend that enforces throughput on `clock`.
async fn enforced(clock: &ManualClock, mode: BillingMode) -> Repo<Note, MemoryBackend> {
    let backend = MemoryBackend::builder()
        .clock(clock.clone())
        .enforce_throughput(true)
        .build();
    let repo = Repo::new(backend);
    repo.ensure_table(mode).await.unwrap();
    repo
}

/// A note of just under 1 KB: one write unit.
fn one_kb_note() -> Note {
    Note::new("u1", "x".repeat(900))
}

/// The load: 5 WCU, a steady 10 writes a second of 1 KB items, no auto scaling. The
/// 1,500 banked units (300 s x 5) drain at 5 a second: every write of the first 300 seconds
/// succeeds, then exactly every other one (the refill's 5 a second) is throttled.
#[tokio::test]
async fn five_wcu_take_ten_writes_a_second_for_300_seconds_then_five() {
    let clock = ManualClock::new(SystemTime::UNIX_EPOCH + Duration::from_secs(20_782 * 86_400));
    let repo = enforced(&clock, NOTES_TABLE).await;
    let note = one_kb_note();
    let mut written = vec![0; 320];
    let mut throttled = vec![0; 320];
    for k in 0..3200_usize {
        match repo.put(&note).await {
            Ok(_) => written[k / 10] += 1,
            Err(Error::Throttled { .. }) => throttled[k / 10] += 1,
            Err(other) => panic!("write {k}: {other:?}"),
        }
        clock.advance(Duration::from_millis(100));
    }
    assert_eq!(written[..300], [10; 300]);
    assert_eq!(throttled[..300], [0; 300]);
    assert_eq!(written[300..], [5; 20]);
    assert_eq!(throttled[300..], [5; 20]);
    // More capacity: the refill at 100 WCU serves the load again.
    repo.update_throughput(5, 100).await.unwrap();
    clock.advance(Duration::from_secs(1));
    for k in 0..100 {
        repo.put(&note)
            .await
            .unwrap_or_else(|err| panic!("write {k} at 100 WCU: {err:?}"));
        clock.advance(Duration::from_millis(100));
    }
}

/// Reads: 1 RCU banks 300 units; an eventually consistent read of a small item costs half a
/// unit, a strongly consistent one a whole unit.
#[tokio::test]
async fn eventually_consistent_reads_cost_half() {
    let clock = ManualClock::new(SystemTime::UNIX_EPOCH);
    let repo = enforced(
        &clock,
        BillingMode::Provisioned {
            read_capacity_units: 1,
            write_capacity_units: 1,
        },
    )
    .await;
    let note = Note::new("u1", "hi");
    repo.put(&note).await.unwrap();
    for _ in 0..600 {
        repo.get(&note.key()).await.unwrap();
    }
    let err = repo.get(&note.key()).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Throttled {
                source: Some(_),
                ..
            }
        ),
        "{err:?}"
    );
    // 300 s later the bank is full again: 300 strongly consistent reads.
    clock.advance(Duration::from_secs(300));
    for _ in 0..300 {
        repo.get(&note.key()).consistent().await.unwrap();
    }
    let err = repo.get(&note.key()).consistent().await.unwrap_err();
    assert!(matches!(err, Error::Throttled { .. }), "{err:?}");
}

/// On-demand tables are never throttled, whatever the load.
#[tokio::test]
async fn on_demand_tables_are_never_throttled() {
    let clock = ManualClock::new(SystemTime::UNIX_EPOCH);
    let repo = enforced(&clock, BillingMode::PayPerRequest).await;
    let note = one_kb_note();
    for _ in 0..5000 {
        repo.put(&note).await.unwrap();
    }
}

/// A global index has its own read bucket: when it is spent, the table still serves reads.
#[tokio::test]
async fn a_global_index_is_throttled_on_its_own_units() {
    let clock = ManualClock::new(SystemTime::UNIX_EPOCH);
    let backend = MemoryBackend::builder()
        .clock(clock.clone())
        .enforce_throughput(true)
        .build();
    let tasks: Repo<Task, _> = Repo::with_table(backend, "tasks".to_owned());
    tasks.ensure_table(NOTES_TABLE).await.unwrap();
    tasks
        .update_index_throughput(&Task::BY_STATUS, 1, 5)
        .await
        .unwrap();
    let task = Task {
        project_id: "p1".into(),
        task_id: "t1".into(),
        assignee: None,
        status: "open".into(),
        due_at: 1,
    };
    tasks.put(&task).await.unwrap();
    // 1 RCU: 300 units banked, half a unit per eventually consistent page.
    for _ in 0..600 {
        tasks
            .query_index(Task::BY_STATUS, "open")
            .all()
            .await
            .unwrap();
    }
    let err = tasks
        .query_index(Task::BY_STATUS, "open")
        .all()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Throttled { .. }), "{err:?}");
    assert_eq!(tasks.get(&task.key()).await.unwrap(), Some(task));
}

// Auto scaling: MemoryBackend only. No emulator implements Application Auto Scaling (dynoxide,
// DynamoDB Local and LocalStack's free tier have no such endpoint), and the simulation needs
// the manual clock. The model (memory/autoscaling.rs): one-minute datapoints; above the target
// for 2 consecutive minutes scales out, at the end of the second, to ceil(consumed per second
// / target), within min..=max; the counts start again after each change.

/// The table's write units now (DescribeTable, which also brings auto scaling up to date).
async fn write_units(repo: &Repo<Note, MemoryBackend>) -> i64 {
    let table = repo.describe_table().await.unwrap();
    table.provisioned_throughput().unwrap().write_capacity_units
}

/// Runs the load (10 writes a second of 1 KB notes, one every 100 ms) for `seconds`,
/// counting per second the writes that succeed and those throttled.
async fn load(
    repo: &Repo<Note, MemoryBackend>,
    clock: &ManualClock,
    seconds: usize,
) -> (Vec<u32>, Vec<u32>) {
    let note = one_kb_note();
    let (mut written, mut throttled) = (vec![0; seconds], vec![0; seconds]);
    for k in 0..seconds * 10 {
        match repo.put(&note).await {
            Ok(_) => written[k / 10] += 1,
            Err(Error::Throttled { .. }) => throttled[k / 10] += 1,
            Err(other) => panic!("write {k}: {other:?}"),
        }
        clock.advance(Duration::from_millis(100));
    }
    (written, throttled)
}

/// The load with auto scaling at the console's default settings (70%, min 5) from the
/// start: minutes 0 and 1 run at 200% (10 WCU consumed of 5), so at 120 s the table scales to
/// ceil(10 / 0.7) = 15 WCU, 67% utilization, where it stays (above 50%: no scale-in). The
/// 300 s burst bank covers the first two minutes: nothing is ever throttled. When the load
/// stops, 15 minutes at 0% scale it back in to 5.
#[tokio::test]
async fn auto_scaling_at_70_percent_scales_five_wcu_to_fifteen_after_two_minutes() {
    let clock = ManualClock::new(SystemTime::UNIX_EPOCH + Duration::from_secs(20_782 * 86_400));
    let repo = enforced(&clock, NOTES_TABLE).await;
    let scaling = TableScaling::new().write(AutoScaling::default());
    repo.set_auto_scaling(&scaling).await.unwrap();
    let (written, throttled) = load(&repo, &clock, 119).await;
    assert_eq!((written, throttled), (vec![10; 119], vec![0; 119]));
    assert_eq!(
        write_units(&repo).await,
        5,
        "not before the second minute has ended"
    );
    clock.advance(Duration::from_secs(1));
    assert_eq!(write_units(&repo).await, 15);
    let (written, throttled) = load(&repo, &clock, 600).await;
    assert_eq!((written, throttled), (vec![10; 600], vec![0; 600]));
    assert_eq!(write_units(&repo).await, 15);
    assert_eq!(repo.auto_scaling().await.unwrap(), scaling);
    // The load stops at 720 s: 15 idle minutes (0% <= 50%) later, at 1,620 s, it scales in to
    // the minimum (ceil(0 / 0.7) = 0, kept at 5).
    clock.advance(Duration::from_secs(899));
    assert_eq!(write_units(&repo).await, 15);
    clock.advance(Duration::from_secs(1));
    assert_eq!(write_units(&repo).await, 5);
}

/// The "Done when": 5 WCU, 10 writes a second, no auto scaling: 300 s of burst, then
/// every other write throttled. Auto scaling (70%) registered at 400 s counts from the next
/// whole minute (420 s): at 540 s, after two minutes of 5 WCU consumed of 5 (100%), it scales
/// to ceil(5 / 0.7) = 8; at 660 s, after two minutes of 8 of 8, to ceil(8 / 0.7) = 12, and
/// throttling stops (a refill of 12 a second > 10 wanted); at 780 s, after two minutes of 10 of
/// 12 (83%), to ceil(10 / 0.7) = 15, where it stays.
#[tokio::test]
async fn auto_scaling_raises_capacity_until_throttling_stops() {
    let clock = ManualClock::new(SystemTime::UNIX_EPOCH + Duration::from_secs(20_782 * 86_400));
    let repo = enforced(&clock, NOTES_TABLE).await;
    let (written, throttled) = load(&repo, &clock, 400).await;
    assert_eq!(written[..300], [10; 300]);
    assert_eq!(throttled[..300], [0; 300]);
    assert_eq!(written[300..], [5; 100]);
    assert_eq!(throttled[300..], [5; 100]);

    repo.set_auto_scaling(&TableScaling::new().write(AutoScaling::new(5, 40_000, 70.0).unwrap()))
        .await
        .unwrap();
    let mut capacity = Vec::new();
    let mut throttled_per_second = Vec::new();
    for _ in 400..900 {
        let (_, throttled) = load(&repo, &clock, 1).await;
        throttled_per_second.push(throttled[0]);
        capacity.push(write_units(&repo).await);
    }
    // capacity[i] is the units at the end of second 400 + i.
    let at = |second: usize| capacity[second - 401];
    assert_eq!((at(539), at(540)), (5, 8));
    assert_eq!((at(659), at(660)), (8, 12));
    assert_eq!((at(779), at(780)), (12, 15));
    assert_eq!(at(899), 15);
    let throttled = |from: usize, to: usize| throttled_per_second[from - 400..to - 400].to_vec();
    assert_eq!(throttled(400, 540), vec![5; 140]);
    assert_eq!(
        throttled(540, 660).iter().sum::<u32>(),
        120 * 2,
        "8 of 10 a second admitted"
    );
    // At 660 s the bucket is empty: the first write of that second is throttled, then the
    // refill of 12 a second serves the 10 and nothing is throttled again.
    assert_eq!(throttled(660, 661), vec![1]);
    assert_eq!(throttled(661, 900), vec![0; 239]);
}

/// Auto scaling of an on-demand table or with a target outside 20..=90% is refused before
/// anything is sent; setting the same policies twice is harmless, and an empty `TableScaling`
/// removes them.
#[tokio::test]
async fn auto_scaling_is_validated_and_idempotent() {
    let err = AutoScaling::new(0, 10, 70.0).unwrap_err();
    assert!(
        matches!(&err, Error::Validation { message, .. } if message.contains("`min`")),
        "{err:?}"
    );
    let err = AutoScaling::new(10, 5, 70.0).unwrap_err();
    assert!(
        matches!(&err, Error::Validation { message, .. } if message.contains("`max`")),
        "{err:?}"
    );
    for target in [19.9, 90.1, f64::NAN] {
        let err = AutoScaling::new(5, 10, target).unwrap_err();
        assert!(
            matches!(&err, Error::Validation { message, .. } if message.contains("`target_utilization`")),
            "{err:?}"
        );
    }
    let clock = ManualClock::new(SystemTime::UNIX_EPOCH);
    let on_demand = enforced(&clock, BillingMode::PayPerRequest).await;
    let scaling = TableScaling::all(AutoScaling::default());
    let err = on_demand.set_auto_scaling(&scaling).await.unwrap_err();
    assert!(
        matches!(err, Error::Validation { source: None, .. }),
        "{err:?}"
    );

    let repo = enforced(&clock, NOTES_TABLE).await;
    repo.delete_table().await.unwrap();
    let repo = enforced(&clock, NOTES_TABLE).await;
    assert_eq!(repo.set_auto_scaling(&scaling).await.unwrap(), scaling);
    assert_eq!(repo.set_auto_scaling(&scaling).await.unwrap(), scaling);
    assert_eq!(
        repo.auto_scaling().await.unwrap().get(None, Capacity::Read),
        Some(AutoScaling::default())
    );
    let none = TableScaling::new();
    assert_eq!(repo.set_auto_scaling(&none).await.unwrap(), none);
}

/// Global indexes scale on their own units, named by their typed handles; a mismatch with
/// what is registered is `AutoScalingMismatch` at start-up.
#[tokio::test]
async fn index_auto_scaling_is_registered_and_verified() {
    let clock = ManualClock::new(SystemTime::UNIX_EPOCH);
    let backend = MemoryBackend::builder()
        .clock(clock.clone())
        .enforce_throughput(true)
        .build();
    let tasks: Repo<Task, _> = Repo::with_table(backend, "tasks".to_owned());
    let scaling = TableScaling::new()
        .write(AutoScaling::default())
        .index_read(&Task::BY_STATUS, AutoScaling::new(1, 20, 50.0).unwrap());
    tasks
        .ensure_table(NOTES_TABLE)
        .auto_scaling(scaling.clone())
        .await
        .unwrap();
    tasks
        .ensure_table(NOTES_TABLE)
        .auto_scaling(scaling)
        .await
        .unwrap();
    let registered = tasks.auto_scaling().await.unwrap();
    assert_eq!(
        registered.get(Some("byStatus"), Capacity::Read),
        AutoScaling::new(1, 20, 50.0).ok()
    );
    assert_eq!(registered.get(Some("byStatus"), Capacity::Write), None);
    let other = TableScaling::all(AutoScaling::default());
    let err = tasks
        .ensure_table(NOTES_TABLE)
        .auto_scaling(other)
        .await
        .unwrap_err();
    let Error::AutoScalingMismatch { table, differences } = err else {
        panic!("expected AutoScalingMismatch, got {err:?}");
    };
    assert_eq!(table, "tasks");
    assert!(
        differences.contains(&"read of index `byStatus`: expected min 5, max 40000, target 70%; registered min 1, max 20, target 50%".to_owned()),
        "{differences:?}"
    );
}
