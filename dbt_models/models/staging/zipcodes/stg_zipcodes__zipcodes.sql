{#- ZIP codes with city names in one comparable form (the place_key macro). -#}

select
    zipcode,
    state,
    city,
    {{ place_key('city') }} as city_key,
    {{ list_transform('acceptable_cities', 'name -> ' ~ place_key('name')) }} as acceptable_city_keys,
    zip_code_type,
    active
from {{ source('zipcodes', 'ref_zipcodes') }}
