{{ item_dimension('bridge_persona_hobby', 'hobby') }}
