use notes_model::Note;

fn main() {
    let _ = Note::TITLE.set("x");
}
