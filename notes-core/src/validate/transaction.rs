//! `TransactWriteItems` as a whole: the 4 MB aggregate size of its items.

use notes_model::expr::{Operand, SetOperand, SetValue, Update, UpdateAction};

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
    let mut size = 0;
    // The operands still to count, without recursion (the depth is not validated yet).
    let mut operands: Vec<&SetOperand> = Vec::new();
    let mut operand = |o: &Operand| {
        if let Operand::Value(v) = o {
            size += value_size(v);
        }
    };
    for action in &update.actions {
        match action {
            UpdateAction::Set(_, SetValue::Value(o))
            | UpdateAction::Add(_, o)
            | UpdateAction::Delete(_, o) => operand(o),
            UpdateAction::Set(_, SetValue::IfNotExists(_, o)) => operands.push(o),
            UpdateAction::Set(
                _,
                SetValue::Plus(a, b) | SetValue::Minus(a, b) | SetValue::ListAppend(a, b),
            ) => operands.extend([a, b]),
            UpdateAction::Remove(_) => {}
        }
        while let Some(o) = operands.pop() {
            match o {
                SetOperand::Operand(o) => operand(o),
                SetOperand::IfNotExists(_, o) => operands.push(o),
                SetOperand::ListAppend(a, b) => operands.extend([a.as_ref(), b.as_ref()]),
            }
        }
    }
    size
}

#[cfg(test)]
mod tests {
    use notes_model::ItemMap;
    use notes_model::expr::Operand::Value;
    use notes_model::expr::{Path, SetOperand, SetValue, Update, UpdateAction};

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

    #[test]
    fn values_nested_in_set_functions_count_too() {
        let text = |bytes: usize| Value(s(&"x".repeat(bytes)));
        let list = || Value(notes_model::AttributeValue::L(Vec::new()));
        let c = || Path::attribute("c");
        // SET c = list_append(if_not_exists(c, "xxx"), []) + "xxxxx": every literal counts
        // (the wrong types are refused by the expression's own checks).
        let nested = SetOperand::list_append(SetOperand::if_not_exists(c(), text(3)), list());
        let update = Update::from(UpdateAction::Set(
            c(),
            SetValue::Plus(nested, text(5).into()),
        ));
        assert_eq!(
            update_values_size(&update),
            value_size(&s("xxx"))
                + value_size(&s("xxxxx"))
                + value_size(&notes_model::AttributeValue::L(Vec::new()))
        );
    }
}
