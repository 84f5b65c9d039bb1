use notes_model::Note;

fn main() {
    let _ = Note::CREATED_AT.begins_with(17);
}
