//! `TransactWriteItems` as a whole: the 4 MB aggregate size of its items.

use notes_model::expr::{Operand, SetValue, Update, UpdateAction};

use super::value::{item_size, value_size};
use crate::error::{Error, Result};
use crate::request::TransactWrite;

/// The largest aggregate size of the items in one `TransactWriteItems`: 4 MB.
pub(crate) const MAX_TRANSACTION_SIZE: usize = 4 * 1024 * 1024;

/// Refuses a write transaction whose items add up to more than 4 MB, as DynamoDB does before
/// it looks at any condition: a put counts its whole item; an update its key and the values
/// it writes; a delete or a condition check its key.
pub fn transaction_size(actions: &[TransactWrite]) -> Result<()> {
    let size: usize = actions.iter().map(action_size).sum();
    if size > MAX_TRANSACTION_SIZE {
        return Err(Error::validation(format!(
            "Collection size of items exceeded, which can also be caused by the aggregate size \
             of the items in the transaction exceeding the 4MB limit ({size} bytes in {} \
             actions; the limit is {MAX_TRANSACTION_SIZE} bytes)",
            actions.len()
        )));
    }
    Ok(())
}

fn action_size(action: &TransactWrite) -> usize {
    match action {
        TransactWrite::Put { item, .. } => item_size(item),
        TransactWrite::Update { key, update, .. } => item_size(key) + update_values_size(update),
        TransactWrite::Delete { key, .. } | TransactWrite::ConditionCheck { key, .. } => {
            item_size(key)
        }
    }
}

/// The size of the values an update writes (its `ExpressionAttributeValues`).
fn update_values_size(update: &Update) -> usize {
    let operand = |o: &Operand| match o {
        Operand::Value(v) => value_size(v),
        _ => 0,
    };
    update
        .actions
        .iter()
        .map(|action| match action {
            UpdateAction::Set(_, set) => match set {
                SetValue::Value(o) | SetValue::IfNotExists(_, o) => operand(o),
                SetValue::Plus(a, b) | SetValue::Minus(a, b) | SetValue::ListAppend(a, b) => {
                    operand(a) + operand(b)
                }
            },
            UpdateAction::Remove(_) => 0,
            UpdateAction::Add(_, o) | UpdateAction::Delete(_, o) => operand(o),
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use notes_model::ItemMap;
    use notes_model::expr::Operand::Value;
    use notes_model::expr::{Path, SetValue, Update, UpdateAction};

    use super::*;
    use crate::validate::test_values::{message, note, s};

    #[test]
    fn write_transactions_hold_at_most_4_mb_of_items() {
        use crate::request::TransactWrite;
        let big = |id: &str| TransactWrite::Put {
            table_name: "notes".into(),
            item: ItemMap::from([
                ("userId".to_owned(), s("u")),
                ("noteId".to_owned(), s(id)),
                ("content".to_owned(), s(&"x".repeat(400 * 1024 - 20))),
            ]),
            condition: None,
        };
        let ten: Vec<TransactWrite> = (0..10).map(|i| big(&format!("n{i}"))).collect();
        assert!(transaction_size(&ten).is_ok());
        let mut eleven = ten.clone();
        eleven.push(big("n10"));
        let m = message(transaction_size(&eleven));
        assert!(
            m.starts_with(
                "Collection size of items exceeded, which can also be caused by the aggregate size \
                 of the items in the transaction exceeding the 4MB limit ("
            ),
            "{m}"
        );
        // An update counts its key and the values it writes.
        let update = |bytes: usize| TransactWrite::Update {
            table_name: "notes".into(),
            key: note(&[]),
            update: Update::new().and(UpdateAction::Set(
                Path::attribute("c"),
                SetValue::Value(Value(s(&"x".repeat(bytes)))),
            )),
            condition: None,
        };
        let mut with_update = ten;
        with_update.push(update(300 * 1024));
        assert!(message(transaction_size(&with_update)).contains("exceeding the 4MB limit"));
    }
}
