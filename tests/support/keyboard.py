"""Typing Chinese in a Pilot test the way a terminal delivers it: one key event per character, with the character.
(Pilot.press names a key by its Unicode name and cannot turn fullwidth_comma back into '，', so full-width
punctuation would be lost.)"""
from textual import events
from textual.keys import _character_to_key


async def type_text(pilot, text: str) -> None:
    app = pilot.app
    for ch in text:
        key = ch if ch.isalnum() and ch.isascii() else _character_to_key(ch)
        event = events.Key(key, ch)
        event.set_sender(app)
        await app._post_message(event)
        await pilot.pause()
