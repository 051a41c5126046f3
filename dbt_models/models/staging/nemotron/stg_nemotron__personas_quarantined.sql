{#- The raw rows that cannot be staged, exactly as loaded, with their file, row and reason codes. -#}

with rejected as (

    select
        source_file,
        source_row_index,
        quarantine_reasons
    from {{ ref('base_nemotron__personas_validated') }}
    where {{ list_length('quarantine_reasons') }} > 0

)

select
    raw.*,
    rejected.quarantine_reasons
from {{ source('nemotron', 'personas') }} as raw
inner join rejected
    on
        raw._source_file = rejected.source_file
        and raw._source_row_index = rejected.source_row_index
