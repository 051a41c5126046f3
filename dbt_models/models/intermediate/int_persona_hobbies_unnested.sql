{{ unnest_persona_list('hobbies', 'hobby') }}
