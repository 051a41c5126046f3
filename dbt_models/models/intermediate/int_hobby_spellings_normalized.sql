{{ config(materialized='table') }}
{#- A table: normalize_item_key is a Python function, called once per distinct spelling. -#}
{{ normalize_spellings('int_persona_hobbies_unnested', 'hobby') }}
