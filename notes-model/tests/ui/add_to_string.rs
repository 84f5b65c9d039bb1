use notes_model::Note;

fn main() {
    let _ = Note::CONTENT.add("more");
}
