#!/usr/bin/env python3
"""Writes data/foods/foods.csv, mgadvisor's embedded default food table, from USDA SR28.

Usage: scripts/gen-foods-table.py [SR28_DIR] > data/foods/foods.csv
SR28_DIR defaults to ../shared/data/usda/sr28. Only the curated table is committed; the SR28
files stay outside the repository. The selection below (NDB number, the name we show, our
category, exclusion tags, search aliases) is the editorial part; numbers and portions come from
SR28 unchanged (per 100 g edible portion).

Tags say what a food contains, for exclusions (data/foods/exclusions.toml maps "vegan",
"nut allergy"... to tags): tree_nut peanut dairy egg fish shellfish meat animal gluten soy sesame.
"""
import csv
import os
import sys

# (NDB, name shown, category, extra tags, aliases). Category tags are added automatically.
SELECTION = [
    # Nuts and seeds
    ("12014", "Pumpkin seeds (pepitas), dried", "Nuts and seeds", "", "pepitas; pumpkin seed kernels"),
    ("12016", "Pumpkin seeds (pepitas), roasted, unsalted", "Nuts and seeds", "", "pepitas roasted"),
    ("12163", "Pumpkin seeds, whole in shell, roasted", "Nuts and seeds", "", ""),
    ("12006", "Chia seeds, dried", "Nuts and seeds", "", "chia"),
    ("12220", "Flaxseed", "Nuts and seeds", "", "linseed; flax seeds"),
    ("12012", "Hemp seeds, hulled", "Nuts and seeds", "", "hemp hearts"),
    ("12036", "Sunflower seeds, dried", "Nuts and seeds", "", "sunflower seed kernels"),
    ("12037", "Sunflower seeds, dry roasted, unsalted", "Nuts and seeds", "", ""),
    ("12040", "Sunflower seed butter", "Nuts and seeds", "", ""),
    ("12023", "Sesame seeds, whole, dried", "Nuts and seeds", "sesame", ""),
    ("12166", "Tahini (sesame paste)", "Nuts and seeds", "sesame", "sesame butter; tahina"),
    ("12061", "Almonds", "Nuts and seeds", "tree_nut", "raw almonds"),
    ("12063", "Almonds, dry roasted, unsalted", "Nuts and seeds", "tree_nut", "roasted almonds"),
    ("12087", "Cashews, raw", "Nuts and seeds", "tree_nut", "cashew nuts"),
    ("12085", "Cashews, dry roasted, unsalted", "Nuts and seeds", "tree_nut", "roasted cashews"),
    ("12088", "Cashew butter", "Nuts and seeds", "tree_nut", ""),
    ("12078", "Brazil nuts", "Nuts and seeds", "tree_nut", "brazilnuts"),
    ("12155", "Walnuts, English", "Nuts and seeds", "tree_nut", "walnut"),
    ("12142", "Pecans", "Nuts and seeds", "tree_nut", ""),
    ("12151", "Pistachios, raw", "Nuts and seeds", "tree_nut", "pistachio nuts"),
    ("12152", "Pistachios, dry roasted, unsalted", "Nuts and seeds", "tree_nut", ""),
    ("12120", "Hazelnuts", "Nuts and seeds", "tree_nut", "filberts"),
    ("12131", "Macadamia nuts, raw", "Nuts and seeds", "tree_nut", ""),
    ("12147", "Pine nuts, dried", "Nuts and seeds", "tree_nut", "pignoli"),
    ("12135", "Mixed nuts, dry roasted, with peanuts", "Nuts and seeds", "tree_nut peanut", ""),
    ("12104", "Coconut meat, raw", "Nuts and seeds", "", "coconut flesh"),
    ("12167", "Chestnuts, roasted", "Nuts and seeds", "tree_nut", ""),
    ("16087", "Peanuts, raw", "Nuts and seeds", "peanut", "groundnuts"),
    ("16390", "Peanuts, dry roasted, unsalted", "Nuts and seeds", "peanut", "roasted peanuts"),
    ("16098", "Peanut butter, smooth, salted", "Nuts and seeds", "peanut", "creamy peanut butter"),
    ("16397", "Peanut butter, chunky, unsalted", "Nuts and seeds", "peanut", "crunchy peanut butter"),
    ("19059", "Trail mix", "Nuts and seeds", "tree_nut peanut", ""),
    # Legumes and soy
    ("16015", "Black beans, boiled", "Legumes", "", "black turtle beans"),
    ("16316", "Black beans, canned, low sodium", "Legumes", "", ""),
    ("16028", "Kidney beans, boiled", "Legumes", "", "red kidney beans"),
    ("16043", "Pinto beans, boiled", "Legumes", "", ""),
    ("16038", "Navy beans, boiled", "Legumes", "", "haricot beans"),
    ("16025", "Great northern beans, boiled", "Legumes", "", ""),
    ("16050", "White beans, boiled", "Legumes", "", "cannellini"),
    ("16057", "Chickpeas, boiled", "Legumes", "", "garbanzo beans; chick peas"),
    ("16070", "Lentils, boiled", "Legumes", "", "lentil"),
    ("16069", "Lentils, raw", "Legumes", "", "dry lentils"),
    ("16144", "Red lentils, raw", "Legumes", "", "pink lentils; masoor dal"),
    ("16086", "Split peas, boiled", "Legumes", "", ""),
    ("16063", "Black-eyed peas, boiled", "Legumes", "", "cowpeas; blackeyed peas"),
    ("16002", "Adzuki beans, boiled", "Legumes", "", "azuki beans"),
    ("16081", "Mung beans, boiled", "Legumes", "", ""),
    ("16006", "Baked beans, canned, vegetarian", "Legumes", "", ""),
    ("11212", "Edamame, frozen, prepared", "Legumes", "soy", "green soybeans"),
    ("11451", "Green soybeans, boiled", "Legumes", "soy", ""),
    ("16109", "Soybeans, mature, boiled", "Legumes", "soy", "soya beans"),
    ("16126", "Tofu, firm, with nigari", "Legumes", "soy", "bean curd"),
    ("16427", "Tofu, regular, with calcium sulfate", "Legumes", "soy", ""),
    ("16114", "Tempeh", "Legumes", "soy", ""),
    ("16113", "Natto", "Legumes", "soy", ""),
    ("16112", "Miso", "Legumes", "soy", "miso paste"),
    ("16222", "Soy milk, unsweetened, fortified", "Beverages", "soy", "soya milk; soymilk"),
    ("16139", "Soy milk, original, fortified", "Beverages", "soy", ""),
    ("16158", "Hummus", "Legumes", "sesame", "houmous; hommus"),
    # Grains, breads, cereals
    ("20137", "Quinoa, cooked", "Grains", "", ""),
    ("20035", "Quinoa, uncooked", "Grains", "", ""),
    ("20037", "Brown rice, long-grain, cooked", "Grains", "", ""),
    ("20036", "Brown rice, long-grain, raw", "Grains", "", ""),
    ("20045", "White rice, long-grain, cooked", "Grains", "", ""),
    ("20053", "White rice, short-grain, cooked", "Grains", "", "sushi rice"),
    ("20089", "Wild rice, cooked", "Grains", "", ""),
    ("08120", "Oats, rolled, dry", "Grains", "", "oatmeal dry; porridge oats; rolled oats"),
    ("08121", "Oatmeal, cooked with water", "Grains", "", "porridge; cooked oats"),
    ("20033", "Oat bran, raw", "Grains", "", ""),
    ("20006", "Barley, pearled, cooked", "Grains", "gluten", ""),
    ("20013", "Bulgur, cooked", "Grains", "gluten", "burghul"),
    ("20010", "Buckwheat groats (kasha), cooked", "Grains", "", "kasha"),
    ("20032", "Millet, cooked", "Grains", "", ""),
    ("20002", "Amaranth, cooked", "Grains", "", ""),
    ("20029", "Couscous, cooked", "Grains", "gluten", ""),
    ("20125", "Whole-wheat pasta, cooked", "Grains", "gluten", "wholemeal pasta; whole wheat spaghetti"),
    ("20121", "Pasta, enriched, cooked", "Grains", "gluten", "spaghetti; macaroni; noodles"),
    ("20078", "Wheat germ", "Grains", "gluten", ""),
    ("20077", "Wheat bran", "Grains", "gluten", ""),
    ("20080", "Whole-wheat flour", "Grains", "gluten", "wholemeal flour"),
    ("20081", "White flour, all-purpose, enriched", "Grains", "gluten", "plain flour"),
    ("20020", "Cornmeal, whole-grain, yellow", "Grains", "", "polenta"),
    ("18075", "Whole-wheat bread", "Breads and cereals", "gluten", "wholemeal bread; brown bread"),
    ("18069", "White bread", "Breads and cereals", "gluten", ""),
    ("18036", "Multigrain bread, toasted", "Breads and cereals", "gluten", "whole grain bread"),
    ("18060", "Rye bread", "Breads and cereals", "gluten", ""),
    ("18044", "Pumpernickel bread", "Breads and cereals", "gluten", ""),
    ("18039", "Oatmeal bread", "Breads and cereals", "gluten", ""),
    ("18029", "French bread (includes sourdough)", "Breads and cereals", "gluten", "baguette; sourdough"),
    ("18042", "Pita bread, whole-wheat", "Breads and cereals", "gluten", ""),
    ("18001", "Bagel, plain", "Breads and cereals", "gluten", ""),
    ("18258", "English muffin, plain", "Breads and cereals", "gluten", ""),
    ("18363", "Corn tortilla", "Breads and cereals", "", ""),
    ("18364", "Flour tortilla", "Breads and cereals", "gluten", "wheat tortilla; wrap"),
    ("18235", "Crackers, whole-wheat", "Breads and cereals", "gluten", ""),
    ("18228", "Saltine crackers", "Breads and cereals", "gluten", "soda crackers"),
    ("18239", "Croissant, butter", "Breads and cereals", "gluten dairy animal", ""),
    ("18293", "Pancakes, plain", "Breads and cereals", "gluten dairy egg animal", ""),
    ("08001", "All-Bran cereal (Kellogg's)", "Breads and cereals", "gluten", "bran cereal"),
    ("08060", "Raisin Bran cereal (Kellogg's)", "Breads and cereals", "gluten", ""),
    ("08148", "Shredded wheat, spoon-size", "Breads and cereals", "gluten", ""),
    ("08013", "Cheerios cereal", "Breads and cereals", "", "oat cereal"),
    ("08020", "Corn flakes (Kellogg's)", "Breads and cereals", "", "cornflakes"),
    ("08089", "Wheaties cereal", "Breads and cereals", "gluten", ""),
    ("08037", "Granola, homemade", "Breads and cereals", "tree_nut", "muesli"),
    ("08103", "Cream of Wheat, cooked", "Breads and cereals", "gluten", "farina"),
    # Vegetables
    ("11457", "Spinach, raw", "Vegetables", "", "baby spinach"),
    ("11458", "Spinach, boiled", "Vegetables", "", "cooked spinach"),
    ("11464", "Spinach, frozen, boiled", "Vegetables", "", ""),
    ("11147", "Swiss chard, raw", "Vegetables", "", "silverbeet; chard"),
    ("11148", "Swiss chard, boiled", "Vegetables", "", "cooked chard"),
    ("11233", "Kale, raw", "Vegetables", "", ""),
    ("11234", "Kale, boiled", "Vegetables", "", "cooked kale"),
    ("11087", "Beet greens, boiled", "Vegetables", "", ""),
    ("11162", "Collard greens, boiled", "Vegetables", "", "collards"),
    ("11569", "Turnip greens, boiled", "Vegetables", "", ""),
    ("11271", "Mustard greens, boiled", "Vegetables", "", ""),
    ("11004", "Amaranth leaves, boiled", "Vegetables", "", ""),
    ("11117", "Bok choy, boiled", "Vegetables", "", "pak choi; chinese cabbage"),
    ("11959", "Arugula, raw", "Vegetables", "", "rocket"),
    ("11251", "Romaine lettuce, raw", "Vegetables", "", "cos lettuce"),
    ("11252", "Iceberg lettuce, raw", "Vegetables", "", ""),
    ("11090", "Broccoli, raw", "Vegetables", "", ""),
    ("11091", "Broccoli, boiled", "Vegetables", "", ""),
    ("11099", "Brussels sprouts, boiled", "Vegetables", "", ""),
    ("11109", "Cabbage, raw", "Vegetables", "", ""),
    ("11135", "Cauliflower, raw", "Vegetables", "", ""),
    ("11008", "Artichoke, boiled", "Vegetables", "", "globe artichoke"),
    ("11012", "Asparagus, boiled", "Vegetables", "", ""),
    ("11279", "Okra, boiled", "Vegetables", "", "ladies fingers"),
    ("11053", "Green beans, boiled", "Vegetables", "", "string beans; snap beans"),
    ("11313", "Green peas, frozen, boiled", "Vegetables", "", "peas"),
    ("11168", "Sweet corn, boiled", "Vegetables", "", "corn on the cob; maize"),
    ("11124", "Carrots, raw", "Vegetables", "", "carrot"),
    ("11081", "Beets, boiled", "Vegetables", "", "beetroot"),
    ("11299", "Parsnips, boiled", "Vegetables", "", ""),
    ("11674", "Potato, baked, with skin", "Vegetables", "", "jacket potato; baked potato"),
    ("11365", "Potato, boiled in skin, flesh", "Vegetables", "", "boiled potatoes"),
    ("11934", "Mashed potatoes, with milk and butter", "Vegetables", "dairy animal", "mash"),
    ("11403", "French fries, oven-heated", "Vegetables", "", "chips; fries"),
    ("11508", "Sweet potato, baked in skin", "Vegetables", "", "yam"),
    ("11510", "Sweet potato, boiled", "Vegetables", "", ""),
    ("11486", "Butternut squash, baked", "Vegetables", "", ""),
    ("11483", "Acorn squash, baked", "Vegetables", "", "winter squash"),
    ("11423", "Pumpkin, boiled", "Vegetables", "", ""),
    ("11477", "Zucchini, raw", "Vegetables", "", "courgette; summer squash"),
    ("11529", "Tomatoes, raw", "Vegetables", "", "tomato"),
    ("11549", "Tomato sauce, canned", "Vegetables", "", "passata"),
    ("11955", "Sun-dried tomatoes", "Vegetables", "", ""),
    ("11205", "Cucumber, with peel", "Vegetables", "", ""),
    ("11143", "Celery, raw", "Vegetables", "", ""),
    ("11282", "Onions, raw", "Vegetables", "", "onion"),
    ("11215", "Garlic, raw", "Vegetables", "", ""),
    ("11821", "Red bell pepper, raw", "Vegetables", "", "red capsicum; sweet pepper"),
    ("11333", "Green bell pepper, raw", "Vegetables", "", "green capsicum"),
    ("11260", "Mushrooms, white, raw", "Vegetables", "", "button mushrooms"),
    ("11210", "Eggplant, boiled", "Vegetables", "", "aubergine"),
    ("11439", "Sauerkraut", "Vegetables", "", ""),
    ("11445", "Kelp seaweed, raw", "Vegetables", "", "kombu"),
    ("11446", "Laver seaweed (nori), raw", "Vegetables", "", "nori"),
    ("11669", "Wakame seaweed, raw", "Vegetables", "", ""),
    ("11667", "Spirulina, dried", "Vegetables", "", ""),
    # Fruits
    ("09037", "Avocado, raw", "Fruits", "", "avocados"),
    ("09040", "Banana, raw", "Fruits", "", "bananas"),
    ("09003", "Apple, raw, with skin", "Fruits", "", "apples"),
    ("09200", "Orange, raw", "Fruits", "", "oranges"),
    ("09218", "Tangerine (mandarin), raw", "Fruits", "", "mandarin; clementine"),
    ("09111", "Grapefruit, raw", "Fruits", "", ""),
    ("09150", "Lemon, raw", "Fruits", "", ""),
    ("09316", "Strawberries, raw", "Fruits", "", ""),
    ("09050", "Blueberries, raw", "Fruits", "", ""),
    ("09302", "Raspberries, raw", "Fruits", "", ""),
    ("09042", "Blackberries, raw", "Fruits", "", ""),
    ("09132", "Grapes, raw", "Fruits", "", ""),
    ("09252", "Pear, raw", "Fruits", "", "pears"),
    ("09236", "Peach, raw", "Fruits", "", "peaches"),
    ("09191", "Nectarine, raw", "Fruits", "", ""),
    ("09279", "Plums, raw", "Fruits", "", ""),
    ("09070", "Cherries, sweet, raw", "Fruits", "", ""),
    ("09176", "Mango, raw", "Fruits", "", "mangoes"),
    ("09266", "Pineapple, raw", "Fruits", "", ""),
    ("09226", "Papaya, raw", "Fruits", "", "pawpaw"),
    ("09326", "Watermelon, raw", "Fruits", "", ""),
    ("09181", "Cantaloupe melon, raw", "Fruits", "", "rockmelon; muskmelon"),
    ("09148", "Kiwifruit, raw", "Fruits", "", "kiwi"),
    ("09139", "Guava, raw", "Fruits", "", ""),
    ("09286", "Pomegranate, raw", "Fruits", "", ""),
    ("09089", "Figs, raw", "Fruits", "", "fresh figs"),
    ("09094", "Figs, dried", "Fruits", "", "dried figs"),
    ("09421", "Dates, Medjool", "Fruits", "", ""),
    ("09087", "Dates, Deglet Noor", "Fruits", "", ""),
    ("09298", "Raisins", "Fruits", "", "sultanas"),
    ("09032", "Apricots, dried", "Fruits", "", "dried apricots"),
    ("09291", "Prunes (dried plums)", "Fruits", "", "dried plums"),
    ("09278", "Plantain, cooked", "Fruits", "", ""),
    ("09206", "Orange juice, fresh", "Beverages", "", "oj"),
    ("09016", "Apple juice, unsweetened", "Beverages", "", ""),
    # Dairy and eggs
    ("01077", "Milk, whole", "Dairy and eggs", "dairy animal", "full fat milk; whole milk"),
    ("01079", "Milk, 2% reduced fat", "Dairy and eggs", "dairy animal", "semi-skimmed milk"),
    ("01082", "Milk, 1% low fat", "Dairy and eggs", "dairy animal", ""),
    ("01085", "Milk, skim (nonfat)", "Dairy and eggs", "dairy animal", "skimmed milk; fat free milk"),
    ("01103", "Chocolate milk, reduced fat", "Dairy and eggs", "dairy animal", ""),
    ("01117", "Yogurt, plain, low fat", "Dairy and eggs", "dairy animal", "yoghurt; natural yogurt"),
    ("01116", "Yogurt, plain, whole milk", "Dairy and eggs", "dairy animal", ""),
    ("01256", "Greek yogurt, plain, nonfat", "Dairy and eggs", "dairy animal", "greek yoghurt"),
    ("01293", "Greek yogurt, plain, whole milk", "Dairy and eggs", "dairy animal", ""),
    ("01289", "Kefir, low fat, plain", "Dairy and eggs", "dairy animal", ""),
    ("01009", "Cheddar cheese", "Dairy and eggs", "dairy animal", ""),
    ("01026", "Mozzarella cheese, whole milk", "Dairy and eggs", "dairy animal", ""),
    ("01032", "Parmesan cheese, grated", "Dairy and eggs", "dairy animal", "parmigiano"),
    ("01040", "Swiss cheese", "Dairy and eggs", "dairy animal", "emmental"),
    ("01019", "Feta cheese", "Dairy and eggs", "dairy animal", ""),
    ("01015", "Cottage cheese, 2% fat", "Dairy and eggs", "dairy animal", ""),
    ("01036", "Ricotta cheese, whole milk", "Dairy and eggs", "dairy animal", ""),
    ("01017", "Cream cheese", "Dairy and eggs", "dairy animal", ""),
    ("01159", "Goat cheese, soft", "Dairy and eggs", "dairy animal", "chevre"),
    ("01053", "Heavy cream", "Dairy and eggs", "dairy animal", "double cream; whipping cream"),
    ("01001", "Butter, salted", "Dairy and eggs", "dairy animal", ""),
    ("19095", "Ice cream, vanilla", "Sweets", "dairy animal", ""),
    ("01123", "Egg, whole, raw", "Dairy and eggs", "egg animal", "eggs"),
    ("01129", "Egg, hard-boiled", "Dairy and eggs", "egg animal", "boiled egg"),
    ("01124", "Egg white, raw", "Dairy and eggs", "egg animal", ""),
    ("14091", "Almond milk, unsweetened", "Beverages", "tree_nut", "almond drink"),
    ("14639", "Rice milk, unsweetened", "Beverages", "", "rice drink"),
    ("12117", "Coconut milk (canned-style, raw)", "Beverages", "", ""),
    # Fish and seafood
    ("15237", "Salmon, Atlantic, farmed, cooked", "Fish and seafood", "fish animal", ""),
    ("15209", "Salmon, Atlantic, wild, cooked", "Fish and seafood", "fish animal", "wild salmon"),
    ("15086", "Salmon, sockeye, cooked", "Fish and seafood", "fish animal", "red salmon"),
    ("15260", "Salmon, pink, canned, drained", "Fish and seafood", "fish animal", "tinned salmon"),
    ("15077", "Smoked salmon", "Fish and seafood", "fish animal", "lox"),
    ("15047", "Mackerel, Atlantic, cooked", "Fish and seafood", "fish animal", ""),
    ("15088", "Sardines, canned in oil", "Fish and seafood", "fish animal", "tinned sardines"),
    ("15121", "Tuna, light, canned in water", "Fish and seafood", "fish animal", "tinned tuna"),
    ("15127", "Tuna, yellowfin, raw", "Fish and seafood", "fish animal", "ahi"),
    ("15016", "Cod, Atlantic, cooked", "Fish and seafood", "fish animal", ""),
    ("15037", "Halibut, cooked", "Fish and seafood", "fish animal", ""),
    ("15034", "Haddock, cooked", "Fish and seafood", "fish animal", ""),
    ("15205", "Pollock, Atlantic, cooked", "Fish and seafood", "fish animal", ""),
    ("15040", "Herring, Atlantic, cooked", "Fish and seafood", "fish animal", ""),
    ("15241", "Rainbow trout, farmed, cooked", "Fish and seafood", "fish animal", "trout"),
    ("15262", "Tilapia, cooked", "Fish and seafood", "fish animal", ""),
    ("15002", "Anchovies, canned in oil", "Fish and seafood", "fish animal", ""),
    ("15271", "Shrimp, cooked", "Fish and seafood", "shellfish animal", "prawns"),
    ("15159", "Clams, cooked", "Fish and seafood", "shellfish animal", ""),
    ("15165", "Mussels, blue, cooked", "Fish and seafood", "shellfish animal", ""),
    ("15167", "Oysters, eastern, raw", "Fish and seafood", "shellfish animal", ""),
    # Meat and poultry
    ("05064", "Chicken breast, roasted", "Meat and poultry", "meat animal", ""),
    ("05098", "Chicken thigh, roasted", "Meat and poultry", "meat animal", ""),
    ("05028", "Chicken liver, simmered", "Meat and poultry", "meat animal", ""),
    ("05168", "Turkey, meat only, roasted", "Meat and poultry", "meat animal", ""),
    ("23568", "Ground beef, 85% lean, broiled", "Meat and poultry", "meat animal", "minced beef; hamburger meat"),
    ("13454", "Beef top sirloin steak, broiled", "Meat and poultry", "meat animal", "steak"),
    ("13327", "Beef liver, pan-fried", "Meat and poultry", "meat animal", ""),
    ("10061", "Pork tenderloin, roasted", "Meat and poultry", "meat animal", ""),
    ("10042", "Pork chop, broiled", "Meat and poultry", "meat animal", ""),
    ("10862", "Bacon, pan-fried", "Meat and poultry", "meat animal", ""),
    ("07029", "Ham, sliced", "Meat and poultry", "meat animal", ""),
    ("17014", "Lamb leg, roasted", "Meat and poultry", "meat animal", ""),
    # Beverages
    ("14411", "Tap water", "Beverages", "", "water"),
    ("14555", "Bottled water", "Beverages", "", "mineral water"),
    ("14209", "Coffee, brewed", "Beverages", "", ""),
    ("14215", "Instant coffee, prepared", "Beverages", "", ""),
    ("14355", "Black tea, brewed", "Beverages", "", "tea"),
    ("14278", "Green tea, brewed", "Beverages", "", ""),
    ("14090", "Coconut water", "Beverages", "", ""),
    ("14003", "Beer", "Beverages", "gluten", "lager"),
    ("14096", "Red wine", "Beverages", "", ""),
    ("14400", "Cola", "Beverages", "", "coke; soda"),
    # Sweets, snacks, fats and condiments
    ("19904", "Dark chocolate, 70-85% cacao", "Sweets", "", "dark chocolate"),
    ("19902", "Dark chocolate, 45-59% cacao", "Sweets", "", ""),
    ("19120", "Milk chocolate", "Sweets", "dairy animal", ""),
    ("19165", "Cocoa powder, unsweetened", "Sweets", "", "cacao powder"),
    ("19304", "Molasses", "Sweets", "", "treacle"),
    ("19296", "Honey", "Sweets", "animal", ""),
    ("19353", "Maple syrup", "Sweets", "", ""),
    ("19335", "Sugar, granulated", "Sweets", "", "white sugar"),
    ("19297", "Jam", "Sweets", "", "jelly; preserves"),
    ("18158", "Chocolate chip cookies", "Sweets", "gluten", "biscuits"),
    ("18274", "Blueberry muffin", "Sweets", "gluten egg animal", ""),
    ("19034", "Popcorn, air-popped", "Snacks", "", ""),
    ("19411", "Potato chips, salted", "Snacks", "", "crisps"),
    ("19047", "Pretzels, hard, salted", "Snacks", "gluten", ""),
    ("04053", "Olive oil", "Fats and oils", "", ""),
    ("04582", "Canola oil", "Fats and oils", "", "rapeseed oil"),
    ("04025", "Mayonnaise", "Condiments", "egg animal", "mayo"),
    ("11935", "Ketchup", "Condiments", "", "catsup; tomato ketchup"),
    ("02046", "Mustard, yellow", "Condiments", "", ""),
    ("06164", "Salsa", "Condiments", "", ""),
    ("16123", "Soy sauce", "Condiments", "soy gluten", "shoyu"),
    ("06626", "Pesto sauce", "Condiments", "dairy animal tree_nut", ""),
    ("43406", "Yeast extract spread", "Condiments", "", "marmite; vegemite"),
    ("02010", "Cinnamon, ground", "Condiments", "", ""),
    ("02003", "Basil, dried", "Condiments", "", ""),
    # Prepared foods
    ("21224", "Cheese pizza, frozen, cooked", "Prepared foods", "gluten dairy animal", "pizza"),
    ("21107", "Hamburger, single patty, plain", "Prepared foods", "gluten meat animal", "burger"),
    ("06419", "Chicken noodle soup, canned, prepared", "Prepared foods", "gluten meat animal", ""),
    ("14058", "Whey protein powder isolate", "Dairy and eggs", "dairy animal", "protein powder"),
]

# Servings chosen by hand where USDA's first measure is not what people eat at once. Those not
# listed in WEIGHT.txt are scaled from a listed one (wheat germ: 1 cup = 115 g, so 2 tbsp =
# 115 / 8 = 14.4 g).
SERVING = {
    "16098": "2 tbsp=32", "16397": "2 tbsp=32", "12040": "2 tbsp=32", "12088": "2 tbsp=32",
    "19165": "1 tbsp=5.4", "11667": "1 tablespoon=7.0", "08037": "1 oz=28.35",
    "20078": "2 tbsp=14.4", "20077": "2 tbsp=7.3", "20033": "0.25 cup=23.5",
    "08120": "0.5 cup=40.5", "12036": "0.25 cup=35",
}

# Ingredients rather than foods eaten as such (flours, dry grains and pulses, spices, sugar,
# oils): tagged "ingredient" so food suggestions leave them out.
INGREDIENTS = {"20080", "20081", "20020", "16069", "16144", "20035", "20036", "19335", "02010",
               "02003", "04053", "04582"}

NUTRIENTS = {"304": "mg", "208": "kcal", "301": "calcium", "306": "potassium", "303": "iron",
             "291": "fibre"}


def choose_serving(category, portions):
    """The portion suggestions and "per portion" figures use: nuts and seeds by the ounce (a
    handful), otherwise USDA's first listed household measure of 20-250 g (USDA lists the most
    common measure first; the bounds skip "1 leaf" and "1 package")."""
    if not portions:
        return "100 g=100"
    if category == "Nuts and seeds":
        for prefix in ("1 oz", "2 tbsp", "1 tbsp"):
            for p in portions:
                if p.startswith(prefix):
                    return p
    for p in portions:
        label, grams = p.rsplit("=", 1)
        if 20 <= float(grams) <= 250:
            return p
    return portions[0]


def fields(line):
    return [f.strip("~") for f in line.rstrip("\r\n").split("^")]


def main():
    sr = sys.argv[1] if len(sys.argv) > 1 else "../shared/data/usda/sr28"
    wanted = {row[0] for row in SELECTION}
    if len(wanted) != len(SELECTION):
        sys.exit("duplicate NDB number in SELECTION")
    names, values, portions = {}, {}, {}
    with open(os.path.join(sr, "FOOD_DES.txt"), encoding="latin-1") as f:
        for line in f:
            x = fields(line)
            if x[0] in wanted:
                names[x[0]] = x[2]
    with open(os.path.join(sr, "NUT_DATA.txt"), encoding="latin-1") as f:
        for line in f:
            x = fields(line)
            if x[0] in wanted and x[1] in NUTRIENTS:
                values.setdefault(x[0], {})[NUTRIENTS[x[1]]] = x[2]
    with open(os.path.join(sr, "WEIGHT.txt"), encoding="latin-1") as f:
        for line in f:
            x = fields(line)
            if x[0] in wanted:
                amount = x[2].rstrip("0").rstrip(".") if "." in x[2] else x[2]
                desc = f"{amount} {x[3]}".replace(";", ",").replace("=", "-")
                portions.setdefault(x[0], []).append(f"{desc}={x[4]}")
    missing = wanted - names.keys()
    if missing:
        sys.exit(f"not in SR28: {sorted(missing)}")
    category_tags = {"Fish and seafood": "", "Meat and poultry": ""}
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["source", "name", "category", "tags", "aliases", "mg", "kcal", "calcium_mg",
                  "potassium_mg", "iron_mg", "fibre_g", "serving", "portions", "usda_description"])
    for ndb, name, category, tags, aliases in SELECTION:
        v = values.get(ndb, {})
        if "mg" not in v:
            sys.exit(f"{ndb} {names[ndb]} has no magnesium value")
        if ndb in INGREDIENTS:
            tags += " ingredient"
        tags = " ".join(sorted(set((tags + " " + category_tags.get(category, "")).split())))
        out.writerow([f"sr28:{ndb}", name, category, tags, aliases, v["mg"], v.get("kcal", ""),
                      v.get("calcium", ""), v.get("potassium", ""), v.get("iron", ""),
                      v.get("fibre", ""), SERVING.get(ndb) or choose_serving(category, portions.get(ndb, [])),
                      ";".join(portions.get(ndb, [])), names[ndb]])


if __name__ == "__main__":
    main()
