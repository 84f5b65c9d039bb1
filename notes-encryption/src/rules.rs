//! What encryption rules out, checked on the request's AST before anything is sent: no
//! condition, filter or key condition compares an encrypted value, and no update writes a
//! signed attribute.

use notes_core::{EncryptionRefusal, Error, Result};
use notes_model::encryption::CryptoAction;
use notes_model::expr::{
    Condition, KeyCondition, Operand, Path, SetOperand, SetValue, Update, UpdateAction,
};

use crate::table::TableEncryption;

/// Refuses a write's condition that compares an encrypted value. Every item of an encrypted
/// table is checked alike, whatever its key (`#[unique]` guard items included).
pub(crate) fn write(table: &TableEncryption, condition: Option<&Condition>) -> Result<()> {
    match condition {
        Some(condition) => self::condition(table, condition),
        None => Ok(()),
    }
}

/// Checks an update (an `UpdateItem`, or a transaction's update) and makes its condition
/// require the item to exist: it may change only `DO_NOTHING` attributes, so an item it
/// created would have no signature ([`TableEncryption::only_existing`]).
pub(crate) fn update_write(
    table: &TableEncryption,
    update: &Update,
    condition: &mut Option<Condition>,
) -> Result<()> {
    self::update(table, update)?;
    write(table, condition.as_ref())?;
    table.only_existing(condition);
    Ok(())
}

/// Refuses a condition (or filter) that compares the value of an encrypted attribute;
/// `attribute_exists` and `attribute_not_exists` test only its presence, and pass.
pub(crate) fn condition(table: &TableEncryption, condition: &Condition) -> Result<()> {
    match condition {
        Condition::Compare(left, _, right) => operands(table, [left, right]),
        Condition::Between(value, low, high) => operands(table, [value, low, high]),
        Condition::In(value, list) => {
            operands(table, [value])?;
            operands(table, list)
        }
        Condition::BeginsWith(path, operand) | Condition::Contains(path, operand) => {
            compared(table, path)?;
            operands(table, [operand])
        }
        Condition::Type(path, _) => compared(table, path),
        Condition::Exists(_) | Condition::NotExists(_) => Ok(()),
        Condition::And(left, right) | Condition::Or(left, right) => {
            self::condition(table, left)?;
            self::condition(table, right)
        }
        Condition::Not(inner) => self::condition(table, inner),
    }
}

/// Refuses a key condition on an encrypted attribute (an index key written by hand: the
/// derive never encrypts a key).
pub(crate) fn key_condition(table: &TableEncryption, key: &KeyCondition) -> Result<()> {
    for (attribute, _) in key.terms() {
        compared(table, &Path::attribute(attribute.to_owned()))?;
    }
    Ok(())
}

/// Refuses an update that writes an attribute the signature covers (every action but
/// `DO_NOTHING`, and any attribute the table does not declare, which the Database
/// Encryption SDK treats as signed when it reads the item), or that reads an encrypted
/// attribute's value (`SET u = content` would copy its ciphertext into a plaintext one).
pub(crate) fn update(table: &TableEncryption, update: &Update) -> Result<()> {
    for action in &update.actions {
        let (UpdateAction::Set(path, _)
        | UpdateAction::Remove(path)
        | UpdateAction::Add(path, _)
        | UpdateAction::Delete(path, _)) = action;
        let attribute = path.top_level().unwrap_or_default();
        if table.action(attribute) != Some(CryptoAction::DoNothing) {
            return Err(refused(table, attribute, EncryptionRefusal::UpdatesSigned));
        }
        let read = match action {
            UpdateAction::Set(_, value) => set_value(table, value),
            UpdateAction::Add(_, operand) | UpdateAction::Delete(_, operand) => {
                read(table, operand)
            }
            UpdateAction::Remove(_) => Ok(()),
        };
        read?;
    }
    Ok(())
}

/// Refuses a `SET` value that reads an encrypted attribute.
fn set_value(table: &TableEncryption, value: &SetValue) -> Result<()> {
    match value {
        SetValue::Value(operand) => read(table, operand),
        SetValue::IfNotExists(path, default) => {
            read_path(table, path)?;
            set_operand(table, default)
        }
        SetValue::Plus(a, b) | SetValue::Minus(a, b) | SetValue::ListAppend(a, b) => {
            set_operand(table, a)?;
            set_operand(table, b)
        }
    }
}

fn set_operand(table: &TableEncryption, operand: &SetOperand) -> Result<()> {
    match operand {
        SetOperand::Operand(operand) => read(table, operand),
        SetOperand::IfNotExists(path, default) => {
            read_path(table, path)?;
            set_operand(table, default)
        }
        SetOperand::ListAppend(a, b) => {
            set_operand(table, a)?;
            set_operand(table, b)
        }
    }
}

fn read(table: &TableEncryption, operand: &Operand) -> Result<()> {
    match operand {
        Operand::Path(path) | Operand::Size(path) => read_path(table, path),
        _ => Ok(()),
    }
}

fn read_path(table: &TableEncryption, path: &Path) -> Result<()> {
    if table.is_encrypted(path) {
        return Err(refused(
            table,
            path.top_level().unwrap_or_default(),
            EncryptionRefusal::ReadsEncrypted,
        ));
    }
    Ok(())
}

fn operands<'a>(
    table: &TableEncryption,
    operands: impl IntoIterator<Item = &'a Operand>,
) -> Result<()> {
    for operand in operands {
        if let Operand::Path(path) | Operand::Size(path) = operand {
            compared(table, path)?;
        }
    }
    Ok(())
}

fn compared(table: &TableEncryption, path: &Path) -> Result<()> {
    if table.is_encrypted(path) {
        return Err(refused(
            table,
            path.top_level().unwrap_or_default(),
            EncryptionRefusal::ComparesEncrypted,
        ));
    }
    Ok(())
}

fn refused(table: &TableEncryption, attribute: &str, reason: EncryptionRefusal) -> Error {
    Error::EncryptionRefused {
        table: table.name().to_owned(),
        attribute: attribute.to_owned(),
        reason,
    }
}
