//! `ReturnValuesOnConditionCheckFailure`: a write whose condition fails carries the stored item
//! when it asks for it, and only then.

use super::*;

notes_tests::on_every_backend!(failed_conditions_carry_the_stored_item_when_asked,);

async fn failed_conditions_carry_the_stored_item_when_asked<B: Backend>(backend: B, table: &str) {
    notes(&backend, table).await;
    let stored = note_with("u", "n1", "stored");
    store(&backend, table, stored.clone()).await;
    let fails = eq("content", s("other"));
    let all_old = ReturnValuesOnConditionCheckFailure::AllOld;

    let stored_item = |err: Error| match err {
        Error::ConditionFailed { item, .. } => item,
        other => panic!("expected ConditionFailed, got {other:?}"),
    };
    let put = put(table, note_with("u", "n1", "new")).condition(fails.clone());
    let err = backend.put_item(put.clone()).await.unwrap_err();
    assert_eq!(stored_item(err), None, "not asked for");
    let asked = put.return_values_on_condition_check_failure(all_old);
    let err = backend.put_item(asked).await.unwrap_err();
    assert_eq!(stored_item(err), Some(stored.clone()));

    let set = UpdateAction::Set(path("content"), SetValue::Value(Operand::Value(s("x"))));
    let update = UpdateItem::new(table, note_key("u", "n1"), Update::from(set))
        .condition(fails.clone())
        .return_values_on_condition_check_failure(all_old);
    let err = backend.update_item(update).await.unwrap_err();
    assert_eq!(stored_item(err), Some(stored.clone()));

    let delete = DeleteItem::new(table, note_key("u", "n1"))
        .condition(fails.clone())
        .return_values_on_condition_check_failure(all_old);
    let err = backend.delete_item(delete).await.unwrap_err();
    assert_eq!(stored_item(err), Some(stored));

    // No item: the condition fails against nothing, and nothing is carried.
    let missing = DeleteItem::new(table, note_key("u", "missing"))
        .condition(Condition::Exists(path("content")))
        .return_values_on_condition_check_failure(all_old);
    let err = backend.delete_item(missing).await.unwrap_err();
    assert_eq!(stored_item(err), None);
}
