; Sense-VM image, format version 1: labels are code offsets
.format sensevm 1
.int 2                          ; #0
.int 1                          ; #1
.float 2                        ; #0
.float 0.5                      ; #1
.float 2.5                      ; #2
.metadata {"dataTypes":[],"source":"constants.cam","mainType":{"kind":"float"}}

    LOADI #0                    ; @0  = 2  constants.cam:6:10
    CALL L12                    ; @3  constants.cam:6:8
    MOVE                        ; @6
    LOADF #0                    ; @7  = 2  constants.cam:6:14
    DIVF                        ; @10  constants.cam:6:8
    STOP                        ; @11
L12:
    PUSH                        ; @12  constants.cam:4:1
    EQIK #1                     ; @13  = 1
    GOTOFALSE L23               ; @16
    LOADF #1                    ; @19  = 0.5  constants.cam:4:7
    RETURN                      ; @22
L23:
    EQIK #0                     ; @23  = 2  constants.cam:4:1
    GOTOIFALSE L33              ; @26
    LOADF #2                    ; @29  = 2.5  constants.cam:5:7
    RETURN                      ; @32
L33:
    FAIL 0                      ; @33  match failure  constants.cam:4:1

.debug 0 3 "constants.cam" 6 10
.debug 3 4 "constants.cam" 6 8
.debug 7 3 "constants.cam" 6 14
.debug 10 1 "constants.cam" 6 8
.debug 12 7 "constants.cam" 4 1
.debug 19 4 "constants.cam" 4 7
.debug 23 6 "constants.cam" 4 1
.debug 29 4 "constants.cam" 5 7
.debug 33 2 "constants.cam" 4 1
