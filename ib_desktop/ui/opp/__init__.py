"""The OPP screens.

``entry.open_editor`` opens the editor (``editor.OppEditorWindow``, the shell with the side list
of ``side_list``) on an OPP; its 13 part pages live in ``parts``, the life-cycle actions in
``lifecycle`` with their dialogs in ``lifecycle_dialogs``, ``conversation_dialog`` and
``signature_dialogs``. ``versions`` lists an OPP's versions with the comparison of ``diff_view``;
``end_dialog`` ends an OPP and ``register_action`` saves the OPP register.
"""
